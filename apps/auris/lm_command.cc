// auris lm: estimate a word n-gram LM (interpolated modified Kneser-Ney) from
// text. auris attach-lm: store an LM and its fusion weights in a CTC model
// file, so transcribe | eval | live use them by default.
#include <charconv>
#include <cstdio>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "auris/core/error.h"
#include "auris/decode/kneser_ney.h"
#include "auris/core/atomic_file.h"
#include "auris/pipeline/recognizer.h"
#include "auris/pipeline/transcriber.h"
#include "commands.h"
#include "model_rewrite.h"

namespace auris::cli {
namespace {

struct LmArgs {
  std::string text, out;
  bool kaldi_text = false;
  decode::KneserNeyOptions estimate;
};

// Sentences of a text file, one per line (Kaldi `text`: the first field is
// the utterance id). Blank lines are skipped.
std::vector<std::vector<std::string>> ReadSentences(const std::string& path, bool kaldi_text) {
  std::ifstream in(path);
  if (!in) throw MakeError("cannot open text ", path);
  std::vector<std::vector<std::string>> out;
  std::string line, word;
  for (int number = 1; std::getline(in, line); ++number) {
    std::istringstream fields(line);
    std::vector<std::string> words;
    while (fields >> word) words.push_back(word);
    if (kaldi_text && !words.empty()) words.erase(words.begin());
    if (!words.empty()) out.push_back(std::move(words));
  }
  if (in.bad()) throw MakeError("cannot read text ", path);
  if (out.empty()) throw MakeError(path, ": no sentences");
  return out;
}

int RunLm(const LmArgs& a) {
  const auto sentences = ReadSentences(a.text, a.kaldi_text);
  const decode::NgramLm lm = decode::EstimateKneserNey(sentences, a.estimate);
  WriteFileAtomically(a.out, lm.ToArpa());
  std::fprintf(stderr, "auris lm: %zu sentences, %d words, order %d -> %s\n", sentences.size(), lm.NumWords(),
               lm.Order(), a.out.c_str());
  return 0;
}

struct AttachArgs {
  std::string model, lm, out;
  float lm_weight = 0.5f, word_bonus = 0;
  int beam = 8;
};

std::string Shortest(float v) {
  char buf[32];
  const auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
  return std::string(buf, end);
}

int RunAttach(const AttachArgs& a) {
  const decode::NgramLm lm = decode::NgramLm::ReadArpa(a.lm);
  // Loading the result checks what inference will: a CTC model, labels the LM can use, valid weights.
  const pipeline::Recognizer checked =
      RewriteModelFile(a.model, a.out, [&](const pipeline::Recognizer& rec, modelfile::ModelInfo& info) {
        if (rec.Task() != pipeline::ModelTask::kCtc) throw MakeError(a.model, ": a language model needs a CTC model");
        info.extra["lm_arpa"] = lm.ToArpa();
        info.extra["lm_weight"] = Shortest(a.lm_weight);
        info.extra["word_bonus"] = Shortest(a.word_bonus);
        info.extra["beam"] = std::to_string(a.beam);
      });
  std::fprintf(stderr, "auris attach-lm: %s (order %d, %d words), %s -> %s\n", a.lm.c_str(), lm.Order(),
               lm.NumWords(), checked.Decoding().ToString().c_str(), a.out.c_str());
  return 0;
}

void RegisterLm(CLI::App& app, Registry& registry) {
  auto a = std::make_shared<LmArgs>();
  CLI::App* cmd = app.add_subcommand(
      "lm",
      "Estimate a word n-gram language model (ARPA) from text: interpolated modified Kneser-Ney\n"
      "(Chen & Goodman; KenLM's fallback discounts 0.5, 1, 1.5 where the corpus is too small).\n"
      "  auris lm --text FILE [--kaldi-text] --order N --out LM.arpa\n"
      "One sentence per line; --kaldi-text: Kaldi `text` lines \"<utt-id> <words>...\".\n"
      "Words are taken as written (case included). Put it in a model with auris attach-lm.");
  cmd->add_option("--text", a->text, "Training text")->required();
  cmd->add_flag("--kaldi-text", a->kaldi_text, "Lines start with an utterance id");
  cmd->add_option("--order", a->estimate.order, "n-gram order")->default_val(3);
  cmd->add_option("-o,--out", a->out, "ARPA file to write")->required();
  cmd->callback([a, &registry] { registry.Set([a] { return RunLm(*a); }); });
}

void RegisterAttachLm(CLI::App& app, Registry& registry) {
  auto a = std::make_shared<AttachArgs>();
  CLI::App* cmd = app.add_subcommand(
      "attach-lm",
      "Store a word language model (ARPA, any tool's) and its fusion weights in a CTC model file;\n"
      "auris transcribe | eval | live then decode with it by default (--no-lm to compare).\n"
      "  auris attach-lm --model IN.safetensors --lm LM.arpa [--lm-weight W] [--word-bonus B]\n"
      "                  [--beam N] --out OUT.safetensors\n"
      "Prefixes are ranked by log P_ctc + W * ln P_lm + B * words; choose W, B on development data.");
  cmd->add_option("-m,--model", a->model, "CTC model file")->required();
  cmd->add_option("--lm", a->lm, "ARPA language model")->required();
  cmd->add_option("--lm-weight", a->lm_weight, "Weight of the LM's log-probability")->default_val(a->lm_weight);
  cmd->add_option("--word-bonus", a->word_bonus, "Score added per word (nats)")->default_val(a->word_bonus);
  cmd->add_option("--beam", a->beam, "Prefix beam width")->default_val(a->beam);
  cmd->add_option("-o,--out", a->out, "Model file to write")->required();
  cmd->callback([a, &registry] { registry.Set([a] { return RunAttach(*a); }); });
}

}  // namespace

AURIS_COMMAND(37, RegisterLm);
AURIS_COMMAND(38, RegisterAttachLm);

}  // namespace auris::cli
