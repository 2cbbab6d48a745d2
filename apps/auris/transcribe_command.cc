// auris transcribe: text (and word times) of audio files with a CTC model.
#include <cstdio>
#include <fstream>
#include <map>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "auris/core/error.h"
#include "auris/pipeline/transcriber.h"
#include "commands.h"
#include "decode_flags.h"
#include "per_input.h"

namespace auris::cli {
namespace {

struct TranscribeArgs {
  std::string model;
  std::vector<std::string> inputs;
  std::string segments;
  std::string align;  // Kaldi text: force each input's transcript to its line
  std::string word_times = "boundary";
  DecodeFlags decode;
  bool timestamps = false;
  bool json = false;
  int num_threads = 0;
};

void Print(const TranscribeArgs& a, const std::string& name, const pipeline::Transcript& t) {
  if (a.json) {
    nlohmann::json words = nlohmann::json::array();
    for (const pipeline::TimedWord& w : t.words)
      words.push_back({{"word", w.word}, {"start", w.start_s}, {"end", w.end_s}, {"conf", w.conf}});
    std::printf("%s\n", nlohmann::json{{"file", name}, {"text", t.text}, {"words", words}}.dump().c_str());
  } else if (a.timestamps) {  // CTM: <file> <channel> <start> <duration> <word> <confidence>
    for (const pipeline::TimedWord& w : t.words)
      std::printf("%s 1 %.3f %.3f %s %.3f\n", name.c_str(), w.start_s, w.end_s - w.start_s, w.word.c_str(), w.conf);
  } else {
    std::printf("%s\t%s\n", name.c_str(), t.text.c_str());
  }
  std::fflush(stdout);
}

// Kaldi text ("uttid word word ...") as uttid -> words.
std::map<std::string, std::vector<std::string>> ReadReferences(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw MakeError(path, ": cannot open the reference text");
  std::map<std::string, std::vector<std::string>> refs;
  std::string line;
  for (int n = 1; std::getline(in, line); ++n) {
    std::istringstream fields(line);
    std::string id, word;
    if (!(fields >> id)) continue;
    std::vector<std::string>& words = refs[id];
    if (!words.empty()) throw MakeError(path, ":", n, ": utterance ", id, " appears twice");
    while (fields >> word) words.push_back(word);
  }
  return refs;
}

int Run(const TranscribeArgs& a) {
  const pipeline::Recognizer rec = pipeline::Recognizer::Load(a.model);
  if (rec.Task() != pipeline::ModelTask::kCtc) throw MakeError(a.model, ": a classifier; use auris classify");
  const pipeline::TranscribeOptions decoding = pipeline::ResolveDecoding(rec, a.decode);
  const std::vector<io::InputItem> items = io::ExpandInputs(a.inputs, a.segments);
  std::map<std::string, std::vector<std::string>> refs;
  if (!a.align.empty()) refs = ReadReferences(a.align);
  return ForEachInput<pipeline::Transcript>(
      "transcribe", items, a.num_threads,
      [&](const io::InputItem& item) {
        const pipeline::UtteranceFeatures f = rec.ExtractFeatures(item);
        if (a.align.empty()) return pipeline::Transcribe(rec, f.features, f.audio_seconds, decoding);
        const auto ref = refs.find(item.uttid);
        if (ref == refs.end()) throw MakeError(item.uttid, ": no line in ", a.align);
        return pipeline::Align(rec, f.features, f.audio_seconds, ref->second, a.word_times == "boundary");
      },
      [&](const io::InputItem& item, const pipeline::Transcript& t) {
        Print(a, a.align.empty() ? InputName(item) : item.uttid, t);
      });
}

void RegisterTranscribe(CLI::App& app, Registry& registry) {
  auto a = std::make_shared<TranscribeArgs>();
  CLI::App* cmd = app.add_subcommand(
      "transcribe",
      "Transcribe audio with a CTC model: one result per input, in input order.\n"
      "  auris transcribe --model MODEL.safetensors <input>... [--beam N] [--timestamps] [--json]\n"
      "                   [--lm LM.arpa --lm-weight W --word-bonus B | --no-lm]\n"
      "Inputs as for auris features (files, directories, scp:wav.scp, list:FILE). Any sample\n"
      "rate or channel count: audio is resampled to the model's rate and averaged to mono.\n"
      "Text output: <file> TAB <text>. --timestamps: CTM lines instead,\n"
      "  <file> 1 <start> <duration> <word> <confidence>   (seconds)\n"
      "--json: {\"file\", \"text\", \"words\": [{\"word\", \"start\", \"end\", \"conf\"}]} per line.\n"
      "Word times come from the model's boundary head (models trained on data with words.ctm);\n"
      "without one, from where the CTC labels fire, which is late in each word.\n"
      "A model file may carry a word LM with its fusion weights and beam (auris attach-lm): it is\n"
      "used unless --no-lm; --lm, --lm-weight, --word-bonus and --beam override it.\n"
      "--align TEXT (Kaldi text: <uttid> <word>...): no decoding; each input's words are its line,\n"
      "placed by CTC forced alignment (word times as above; confidence of the aligned labels), and\n"
      "the output names the utterance id, e.g. for word times of a corpus' known transcripts.\n"
      "--word-times labels: times of the frames where each word's CTC labels fire instead of the\n"
      "boundary head's spans (for a causal model, at or just after the word's end).");
  cmd->add_option("-m,--model", a->model, "CTC model file")->required();
  cmd->add_option("inputs", a->inputs, "Audio inputs")->required();
  cmd->add_option("--segments", a->segments, "Kaldi segments file over the recordings of scp: input");
  cmd->add_option("--align", a->align, "Kaldi text of the inputs' utterance ids: align these words, no decoding");
  cmd->add_option("--word-times", a->word_times, "Word times: boundary (the boundary head, if any) or labels")
      ->check(CLI::IsMember({"boundary", "labels"}))
      ->default_val("boundary");
  AddDecodeFlags(*cmd, a->decode);
  cmd->add_flag("--timestamps", a->timestamps, "CTM output: one line per word with its times and confidence");
  cmd->add_flag("--json", a->json, "JSON lines output (always with word times)");
  cmd->add_option("--num-threads", a->num_threads, "Threads (0: all cores)")->default_val(0);
  cmd->callback([a, &registry] { registry.Set([a] { return Run(*a); }); });
}

}  // namespace

AURIS_COMMAND(35, RegisterTranscribe);

}  // namespace auris::cli
