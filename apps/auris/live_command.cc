// auris live: audio played as a stream through a model as it arrives. CTC
// models: partial transcripts as they grow and a final one at every pause.
// Classifiers: keyword spotting (live_keywords.h).
#include <atomic>
#include <csignal>
#include <cstdio>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "auris/core/error.h"
#include "auris/core/progress.h"
#include "auris/pipeline/ctc_session.h"
#include "auris/pipeline/live_json.h"
#include "auris/pipeline/transcript_keywords.h"
#include "commands.h"
#include "decode_flags.h"
#include "live_display.h"
#include "live_keywords.h"
#include "live_source.h"

namespace auris::cli {
namespace {

std::atomic<bool> g_stop{false};
void OnSigint(int) { g_stop = true; }

struct LiveArgs {
  std::string model;
  LiveSourceOptions source;
  double duration_s = 0;
  bool json = false;
  bool int8 = false;
  DecodeFlags decode;
  pipeline::EndpointOptions endpoint;
  KeywordLiveOptions keywords;
  std::vector<std::string> ctc_keywords;  // --keywords (CTC models)
};

// Continuous transcription with a CTC model; with --keywords, keyword events
// from its final transcripts.
class TranscriptionLive {
 public:
  TranscriptionLive(const pipeline::Recognizer& rec, const LiveArgs& a)
      : rec_(&rec), session_(rec, pipeline::ResolveDecoding(rec, a.decode), a.endpoint) {
    if (!a.ctc_keywords.empty())
      keywords_.emplace(rec,
                        pipeline::TranscriptKeywordOptions{a.ctc_keywords, a.keywords.threshold.value_or(0)});
  }
  bool SpotsKeywords() const { return keywords_.has_value(); }

  LiveSummary Run(LiveSource& source, LiveDisplay& display, double duration_s, const std::atomic<bool>& stop) {
    LiveSummary summary;
    std::string partial;
    auto show = [&](const std::vector<pipeline::LiveEvent>& events) {
      for (const pipeline::LiveEvent& e : events) Show(e, display, partial, summary);
      if (keywords_)
        for (const pipeline::KeywordEvent& k : keywords_->After(events, session_)) ShowKeyword(k, display, summary);
    };
    std::vector<float> samples;
    for (bool more = true; more && !stop;) {
      more = ReadChunk(source, duration_s, session_.SecondsSeen(), rec_->SampleRate(), &samples, &summary.source_error);
      show(session_.Accept(samples.data(), static_cast<std::int64_t>(samples.size())));
      display.Meter(LevelDb(samples.data(), samples.size()), partial);
    }
    source.Stop();
    show(session_.Finish());
    summary.seconds = session_.SecondsSeen();
    return summary;
  }

 private:
  void Show(const pipeline::LiveEvent& e, LiveDisplay& display, std::string& partial, LiveSummary& summary) const {
    using Type = pipeline::LiveEvent::Type;
    if (e.type == Type::kFinal && !keywords_) ++summary.events;
    if (display.IsJson()) {
      display.EmitText(pipeline::LiveEventJson(e));
    } else if (e.type == Type::kFinal && keywords_) {
      partial.clear();  // the terminal shows the keywords, not every final
    } else if (e.type == Type::kFinal) {
      char times[40];
      std::snprintf(times, sizeof times, "%8.2f %8.2f  ", e.start_s, e.end_s);
      display.Scroll(times + e.text);
      partial.clear();
    } else {
      partial = e.text;
    }
  }

  const pipeline::Recognizer* rec_;
  pipeline::CtcSession session_;
  std::optional<pipeline::TranscriptKeywords> keywords_;
};

std::string Seconds(double s) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.2f", s);
  return buf;
}

int Run(const LiveArgs& a) {
  a.source.Validate();
  pipeline::Recognizer rec = pipeline::Recognizer::Load(a.model);
  rec.SetInt8Step(a.int8);
  const bool ctc = rec.Task() == pipeline::ModelTask::kCtc;
  // The model's engine first, so option and model errors come before the microphone opens.
  std::unique_ptr<TranscriptionLive> transcription;
  std::unique_ptr<KeywordLive> keywords;
  try {
    if (!ctc && !a.ctc_keywords.empty())
      throw Error("--keywords needs a CTC model (a classifier's keywords are its labels)");
    if (ctc) transcription = std::make_unique<TranscriptionLive>(rec, a);
    else keywords = std::make_unique<KeywordLive>(rec, a.keywords);
  } catch (const Error& e) {
    throw MakeError(a.model, ctc ? ": CTC model: " : ": classifier (keyword spotting): ", e.what());
  }
  LiveDisplay display(a.json, IsTerminal(stderr));
  std::unique_ptr<LiveSource> source = OpenLiveSource(a.source, rec.SampleRate());
  g_stop = false;
  std::signal(SIGINT, OnSigint);
  display.Status("listening to " + source->Describe(), 0, source->Info());
  const LiveSummary s = ctc ? transcription->Run(*source, display, a.duration_s, g_stop)
                            : keywords->Run(*source, display, a.duration_s, g_stop);
  const std::uint64_t overflows = source->Overflows();
  std::signal(SIGINT, SIG_DFL);
  const char* what = ctc && !transcription->SpotsKeywords() ? "utterances" : "keywords";
  const std::string ended = !s.source_error.empty() ? "input failed after "
                            : g_stop                  ? "stopped (Ctrl-C) after "
                                                      : "end of input after ";
  display.Status(ended + Seconds(s.seconds) + " s, " +
                     std::to_string(s.events) + " " + what,
                 s.seconds, {{what, s.events}, {"interrupted", g_stop.load()}, {"overflows", overflows}});
  if (overflows > 0)
    std::fprintf(stderr, "auris live: warning: %llu input samples were dropped (the reader fell behind)\n",
                 static_cast<unsigned long long>(overflows));
  if (!s.source_error.empty()) throw Error(s.source_error);
  return 0;
}

void RegisterLive(CLI::App& app, Registry& registry) {
  auto a = std::make_shared<LiveArgs>();
  CLI::App* cmd = app.add_subcommand(
      "live",
      "Run a model on audio as a stream. CTC models: partial transcripts as they grow, a final one\n"
      "at every pause. Classification models: keyword spotting (labels starting with \"_\" are\n"
      "non-keyword classes and never reported).\n"
      "  auris live --model MODEL.safetensors [--device D | --input FILE [--fast] |\n"
      "             --stdin --stdin-rate R] [--json]\n"
      "Without --input or --stdin: the microphone (--device: index or name from auris devices;\n"
      "default input device), opened at its own rate and resampled. A file is played in real time\n"
      "(--fast: as fast as it decodes), at any rate or channel count. --stdin reads raw signed\n"
      "16-bit little-endian PCM (e.g. arecord -t raw -f S16_LE, sox ... -t raw -e signed -b 16 -).\n"
      "CTC: an utterance ends after --endpoint-ms of silence after its last word. Keywords: an event\n"
      "when a label's posterior, smoothed over --smooth-ms, reaches --threshold (--threshold-for\n"
      "LABEL=P per label); one per word, and none of the same label within --refractory-ms.\n"
      "CTC with --keywords WORD[=LABEL],...: keyword spotting by the recogniser, an event for every\n"
      "keyword among the transcript's words whose confidence reaches --threshold (default 0), as\n"
      "soon as the search has settled on the word, e.g. --keywords zero,oh=zero,one,two.\n"
      "--json: JSON lines {\"type\": \"partial\"|\"final\"|\"keyword\"|\"status\", \"text\"|\"label\",\n"
      "\"score\", \"start\", \"end\"} (seconds from the start; finals add \"words\"). On a terminal: a\n"
      "level meter with the partial text or the best label, events as \"<start> <end> <text>\".\n"
      "Ctrl-C stops cleanly with a summary.");
  cmd->add_option("-m,--model", a->model, "CTC or classification model file")->required();
  LiveSourceOptions& src = a->source;
  auto* input = cmd->add_option("-i,--input", src.input, "Audio file played as a stream");
  auto* device = cmd->add_option("-d,--device", src.device, "Microphone: PortAudio input device index or name (auris devices)")
      ->excludes(input);
  auto* stdin_pcm = cmd->add_flag("--stdin", src.stdin_pcm, "Raw s16le PCM on standard input (needs --stdin-rate)")
      ->excludes(input)
      ->excludes(device);
  cmd->add_option("--stdin-rate", src.stdin_rate, "Sample rate of the --stdin PCM in Hz")->needs(stdin_pcm);
  cmd->add_option("--stdin-channels", src.stdin_channels, "Interleaved channels of the --stdin PCM (averaged)")
      ->default_val(src.stdin_channels)
      ->needs(stdin_pcm);
  cmd->add_option("--buffer-seconds", src.buffer_s, "Microphone: audio held while decoding lags behind")
      ->default_val(src.buffer_s);
  cmd->add_option("--duration", a->duration_s, "Stop after this many seconds of audio (0: at the end / Ctrl-C)")
      ->default_val(0);
  cmd->add_flag("--fast", src.fast, "Do not pace a file to real time");
  cmd->add_flag("--json", a->json, "JSON lines output");
  cmd->add_flag("--int8", a->int8, "Step the network's lstm and linear layers with int8 weights (a scale per row)");
  cmd->add_option("--chunk-ms", src.chunk_ms, "File / stdin: audio read per step")->default_val(src.chunk_ms);
  const std::string t = "Transcription (CTC models)";
  AddDecodeFlags(*cmd, a->decode, t);
  cmd->add_option("--endpoint-ms", a->endpoint.trailing_silence_ms, "Silence after the last word that ends an utterance")
      ->default_val(a->endpoint.trailing_silence_ms)
      ->group(t);
  cmd->add_option("--max-utterance", a->endpoint.max_utterance_s, "Longest utterance (seconds) before it is closed anyway")
      ->default_val(a->endpoint.max_utterance_s)
      ->group(t);
  AddKeywordOptions(cmd, a->keywords);
  cmd->add_option("--keywords", a->ctc_keywords,
                  "CTC models: spot these words in the final transcripts (WORD or WORD=LABEL, comma-separated)")
      ->delimiter(',')
      ->group(t);
  cmd->callback([a, &registry] { registry.Set([a] { return Run(*a); }); });
}

}  // namespace

AURIS_COMMAND(50, RegisterLive);

}  // namespace auris::cli
