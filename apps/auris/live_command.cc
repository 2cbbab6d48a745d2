// auris live: continuous transcription of audio played as a stream, with
// partial transcripts as they grow and a final one at every pause.
#include <atomic>
#include <cmath>
#include <csignal>
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "auris/core/error.h"
#include "auris/core/progress.h"
#include "auris/pipeline/ctc_session.h"
#include "commands.h"
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
  pipeline::TranscribeOptions decode;
  pipeline::EndpointOptions endpoint;
};

// Level of a chunk in dB relative to int16 full scale (-90 for silence).
double LevelDb(const float* x, std::size_t n) {
  double e = 0;
  for (std::size_t i = 0; i < n; ++i) e += static_cast<double>(x[i]) * x[i];
  const double rms = n ? std::sqrt(e / static_cast<double>(n)) / 32768.0 : 0;
  return std::max(-90.0, 20 * std::log10(std::max(rms, 1e-12)));
}

class Display {
 public:
  Display(bool json, bool tty) : json_(json), tty_(tty) {}

  void Status(const std::string& text, double t, const nlohmann::json& extra = {}) {
    if (json_) {
      nlohmann::json j = {{"type", "status"}, {"text", text}, {"end", t}};
      if (extra.is_object()) j.update(extra);
      Line(j.dump());
    } else {
      std::fprintf(stderr, "%s%s\n", tty_ ? "\r\033[K" : "", text.c_str());
    }
  }

  void Event(const pipeline::LiveEvent& e, double level_db) {
    using Type = pipeline::LiveEvent::Type;
    if (json_) {
      nlohmann::json j = {{"type", e.type == Type::kFinal ? "final" : "partial"}, {"text", e.text},
                          {"start", e.start_s}, {"end", e.end_s}};
      if (e.type == Type::kFinal) {
        nlohmann::json words = nlohmann::json::array();
        double conf = 0;
        for (const pipeline::TimedWord& w : e.words) {
          words.push_back({{"word", w.word}, {"start", w.start_s}, {"end", w.end_s}, {"conf", w.conf}});
          conf += w.conf;
        }
        j["score"] = e.words.empty() ? 0.0 : conf / static_cast<double>(e.words.size());
        j["words"] = words;
      }
      Line(j.dump());
    } else if (e.type == Type::kFinal) {
      std::printf("%s%8.2f %8.2f  %s\n", tty_ ? "\r\033[K" : "", e.start_s, e.end_s, e.text.c_str());
      std::fflush(stdout);
    } else {
      partial_ = e.text;
      Meter(level_db);
    }
  }

  // On a terminal: one status line, redrawn: level meter and partial text.
  void Meter(double level_db) {
    if (json_ || !tty_) return;
    const int bars = static_cast<int>(std::lround((level_db + 60) / 3));  // -60..0 dB -> 0..20
    std::string meter(static_cast<std::size_t>(std::clamp(bars, 0, 20)), '#');
    meter.resize(20, ' ');
    std::fprintf(stderr, "\r\033[K[%s] %5.1f dB  %s", meter.c_str(), level_db, partial_.c_str());
    std::fflush(stderr);
  }

 private:
  static void Line(const std::string& s) {
    std::printf("%s\n", s.c_str());
    std::fflush(stdout);
  }
  bool json_, tty_;
  std::string partial_;
};

int Run(const LiveArgs& a) {
  a.decode.Validate();
  a.endpoint.Validate();
  a.source.Validate();
  const pipeline::Recognizer rec = pipeline::Recognizer::Load(a.model);
  if (rec.Task() != pipeline::ModelTask::kCtc)
    throw MakeError(a.model, ": a classifier; auris live runs CTC models (keyword spotting is not available yet)");
  pipeline::CtcSession session(rec, a.decode, a.endpoint);
  Display display(a.json, IsTerminal(stderr));
  g_stop = false;
  std::signal(SIGINT, OnSigint);
  long finals = 0;
  auto handle = [&](const std::vector<pipeline::LiveEvent>& events, double level) {
    for (const pipeline::LiveEvent& e : events) {
      display.Event(e, level);
      finals += e.type == pipeline::LiveEvent::Type::kFinal;
    }
  };
  // Feeds samples, stopping at --duration; false once that is reached.
  auto feed = [&](std::vector<float>& samples) {
    bool more = true;
    if (a.duration_s > 0) {
      const double left = (a.duration_s - session.SecondsSeen()) * rec.SampleRate();
      if (static_cast<double>(samples.size()) >= left) {
        samples.resize(static_cast<std::size_t>(std::max(0.0, left)));
        more = false;
      }
    }
    const double level = LevelDb(samples.data(), samples.size());
    handle(session.Accept(samples.data(), static_cast<std::int64_t>(samples.size())), level);
    display.Meter(level);
    return more;
  };
  std::unique_ptr<LiveSource> source = OpenLiveSource(a.source, rec.SampleRate());
  display.Status("listening to " + source->Describe(), 0, source->Info());
  std::vector<float> samples;
  for (bool more = true; more && !g_stop;) {
    samples.clear();
    more = source->Read(&samples);
    more = feed(samples) && more;
  }
  source->Stop();
  const std::uint64_t overflows = source->Overflows();
  handle(session.Finish(), -90);
  std::signal(SIGINT, SIG_DFL);
  display.Status((g_stop ? "stopped (Ctrl-C) after " : "end of input after ") +
                     std::to_string(session.SecondsSeen()).substr(0, std::to_string(session.SecondsSeen()).find('.') + 3) +
                     " s, " + std::to_string(finals) + " utterances",
                 session.SecondsSeen(), {{"utterances", finals}, {"interrupted", g_stop.load()}, {"overflows", overflows}});
  if (overflows > 0)
    std::fprintf(stderr, "auris live: warning: %llu input samples were dropped (the reader fell behind)\n",
                 static_cast<unsigned long long>(overflows));
  return 0;
}

void RegisterLive(CLI::App& app, Registry& registry) {
  auto a = std::make_shared<LiveArgs>();
  CLI::App* cmd = app.add_subcommand(
      "live",
      "Transcribe audio as a stream: partial transcripts as they grow, a final one at every pause.\n"
      "  auris live --model CTC-MODEL.safetensors [--device D | --input FILE [--fast] |\n"
      "             --stdin --stdin-rate R] [--json]\n"
      "Without --input or --stdin: the microphone (--device: index or name from auris devices;\n"
      "default input device), opened at its own rate and resampled. A file is played in real time\n"
      "(--fast: as fast as it decodes), at any rate or channel count. --stdin reads raw signed\n"
      "16-bit little-endian PCM (e.g. arecord -t raw -f S16_LE, sox ... -t raw -e signed -b 16 -). An utterance ends after --endpoint-ms of silence after\n"
      "its last word. --json: JSON lines {\"type\": \"partial\"|\"final\"|\"status\", \"text\", \"start\",\n"
      "\"end\"} (seconds from the start; finals add \"score\" and \"words\"). On a terminal: a level\n"
      "meter with the partial text, finals as \"<start> <end> <text>\". Ctrl-C stops cleanly.");
  cmd->add_option("-m,--model", a->model, "CTC model file")->required();
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
  cmd->add_option("--beam", a->decode.beam, "Prefix beam width of the final transcripts (0: greedy)")->default_val(0);
  cmd->add_option("--endpoint-ms", a->endpoint.trailing_silence_ms, "Silence after the last word that ends an utterance")
      ->default_val(a->endpoint.trailing_silence_ms);
  cmd->add_option("--max-utterance", a->endpoint.max_utterance_s, "Longest utterance (seconds) before it is closed anyway")
      ->default_val(a->endpoint.max_utterance_s);
  cmd->add_option("--chunk-ms", src.chunk_ms, "File / stdin: audio read per step")->default_val(src.chunk_ms);
  cmd->callback([a, &registry] { registry.Set([a] { return Run(*a); }); });
}

}  // namespace

AURIS_COMMAND(50, RegisterLive);

}  // namespace auris::cli
