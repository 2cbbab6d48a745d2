// auris features: batch feature extraction, Kaldi style.
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "auris/core/error.h"
#include "auris/core/progress.h"
#include "auris/core/thread_pool.h"
#include "auris/io/feature_writer.h"
#include "auris/pipeline/batch_extractor.h"
#include "commands.h"
#include "closed_pipe.h"
#include "feature_flags.h"
#include "auris/io/inputs.h"

namespace auris::cli {
namespace {

struct FeaturesArgs {
  FeatureFlags flags;
  std::vector<std::string> positional;  // inputs..., output
  std::string segments;
  std::string output_format = "auto";
  int num_threads = 0;
  std::string shard;
  bool quiet = false;
};

// "--output-format htk DIR" → "htk:DIR"; Kaldi wspecifiers and npy:/htk: pass through.
std::string OutputSpec(const std::string& format, const std::string& output) {
  if (format == "auto" || format == "kaldi") return output;
  if (output.starts_with(format + ":")) return output;
  return format + ":" + output;
}

// HTK headers describe the features: kind, deltas, frame period. HTK's _E /
// _0 qualifiers mean "energy / C0 is the LAST coefficient", which is Kaldi's
// layout only with --htk-compat; without it the qualifiers are left off.
io::FeatureWriterOptions WriterOptions(const pipeline::FeaturePipelineOptions& o) {
  io::FeatureWriterOptions w;
  const auto& f = o.features;
  w.htk.frame_shift_ms = f.Frame().frame_shift_ms;
  const int deltas = o.add_deltas ? o.deltas.order : 0;
  if (f.type == "mfcc") {
    const bool last = f.mfcc.htk_compat;
    w.htk.parm_kind = io::HtkParmKind(io::kHtkMfcc, last && f.mfcc.use_energy,
                                      last && !f.mfcc.use_energy, deltas);
  } else if (f.type == "plp") {
    const bool last = f.plp.htk_compat;
    w.htk.parm_kind = io::HtkParmKind(io::kHtkPlp, last && f.plp.use_energy,
                                      last && !f.plp.use_energy, deltas);
  } else if (f.type == "fbank") {
    w.htk.parm_kind = io::HtkParmKind(io::kHtkFbank, f.fbank.htk_compat && f.fbank.use_energy,
                                      false, deltas);
  } else {
    w.htk.parm_kind = io::HtkParmKind(io::kHtkUser, false, false, deltas);
  }
  return w;
}

int Run(const FeaturesArgs& a) {
  if (a.positional.size() < 2)
    throw MakeError("need at least one input and an output (see auris features --help)");
  const std::vector<std::string> inputs(a.positional.begin(), a.positional.end() - 1);
  const std::string output = OutputSpec(a.output_format, a.positional.back());

  pipeline::FeaturePipelineOptions options = a.flags.Resolve();
  std::vector<io::InputItem> sources = io::ExpandInputs(inputs, a.segments);
  std::size_t begin = 0, end = sources.size();
  if (!a.shard.empty()) {
    int k = 0, n = 0;
    char slash = 0;
    if (std::sscanf(a.shard.c_str(), "%d%c%d", &k, &slash, &n) != 3 || slash != '/')
      throw MakeError("--shard '", a.shard, "': expected K/N, e.g. 3/10");
    std::tie(begin, end) = pipeline::ShardRange(sources.size(), k, n);
  }
  sources = std::vector<io::InputItem>(sources.begin() + begin, sources.begin() + end);

  const bool draw = !a.quiet && IsTerminal(stderr);
  Progress progress(sources.size(), draw ? stderr : nullptr);
  pipeline::BatchOptions batch;
  batch.num_threads = a.num_threads;
  batch.progress = &progress;
  batch.on_error = [&](const std::string& m) {
    progress.Finish();
    std::fprintf(stderr, "auris features: error: %s\n", m.c_str());
  };
  batch.on_warning = [&](const std::string& m) {
    if (a.quiet) return;
    progress.Finish();
    std::fprintf(stderr, "auris features: warning: %s\n", m.c_str());
  };
  pipeline::BatchSummary s;
  try {
    std::unique_ptr<io::FeatureWriter> writer = io::OpenFeatureWriter(output, WriterOptions(options));
    s = pipeline::ExtractBatch(sources, options, *writer, batch);
    writer->Close();
  } catch (const std::exception& e) {
    // The reader of stdout went away: main ends quietly by SIGPIPE.
    if (WroteToClosedPipe()) throw;
    // The output as a whole failed (e.g. a full disk): nothing was committed,
    // so every utterance counts as failed, and the summary is still printed.
    progress.Finish();
    std::fprintf(stderr, "auris features: error: %s\n", e.what());
    s = pipeline::BatchSummary{.total = sources.size(), .failed = sources.size()};
  }
  progress.Finish();
  const double elapsed = progress.ElapsedSeconds();
  std::fprintf(stderr, "Done %zu of %zu utterances, %zu failed (%.1f s of audio in %.2f s, %.0fx real time)\n",
               s.done, s.total, s.failed, s.audio_seconds, elapsed,
               elapsed > 0 ? s.audio_seconds / elapsed : 0.0);
  return s.failed > 0 ? 1 : 0;
}

}  // namespace

void RegisterFeatures(CLI::App& app, Registry& registry) {
  auto args = std::make_shared<FeaturesArgs>();
  CLI::App* cmd = app.add_subcommand(
      "features",
      "Extract MFCC / fbank / spectrogram features (Kaldi-compatible) from audio files.\n"
      "  auris features [options] <input>... <output>\n"
      "Inputs: audio files, directories (recursive), scp:wav.scp (Kaldi; 'cmd |' lines run\n"
      "through /bin/sh), list:FILE (one path per line, list:- = stdin).\n"
      "Output: ark,scp:feats.ark,feats.scp | ark:feats.ark | ark,t:- | npy:DIR | htk:DIR.\n"
      "Samples are read at Kaldi's int16 scale, so features match Kaldi/torchaudio.\n"
      "Example: auris features --type mfcc --num-ceps 13 scp:data/wav.scp ark,scp:feats.ark,feats.scp");
  cmd->add_option("args", args->positional, "<input>... <output>")->required()->expected(2, -1);
  args->flags.Register(*cmd);
  cmd->add_option("--segments", args->segments,
                  "Kaldi segments file (segid recid start end) over the recordings of scp: input");
  cmd->add_option("--output-format", args->output_format,
                  "kaldi (wspecifier), npy (DIR), htk (DIR); auto: from the output spec")
      ->default_str("auto")->check(CLI::IsMember({"auto", "kaldi", "npy", "htk"}));
  cmd->add_option("--num-threads", args->num_threads, "Threads (0: all cores)")->default_val(0);
  cmd->add_option("--shard", args->shard,
                  "Process only part K of N (1-based, contiguous, deterministic), e.g. 2/8");
  cmd->add_flag("-q,--quiet", args->quiet, "No progress line or warnings (errors still shown)");
  cmd->callback([args, &registry] { registry.Set([args] { return Run(*args); }); });
}

AURIS_COMMAND(10, RegisterFeatures);

}  // namespace auris::cli
