// auris train: train a classifier (or CTC model) from labelled audio.
#include <algorithm>
#include <atomic>
#include <csignal>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "auris/core/error.h"
#include "auris/core/progress.h"
#include "auris/dsp/frame_options.h"
#include "auris/pipeline/vtln_search.h"
#include "auris/train/architectures.h"
#include "auris/train/audio_set.h"
#include "auris/train/dataset.h"
#include "auris/train/trainer.h"
#include "commands.h"
#include "feature_flags.h"
#include "train_log.h"

namespace auris::cli {
namespace {

struct TrainArgs {
  FeatureFlags flags;
  std::string task = "classify";
  std::string train, valid, out, arch, resume;
  std::string units = "words";
  std::string boundary_head = "auto";
  train::TrainOptions opt;
  train::ArchitectureSize size;
  bool quiet = false;
  bool strict = false;  // any unusable example is an error, not a skip
  int stop_after_epoch = 0;  // 0: train to --epochs
};

std::atomic<bool> g_interrupted{false};
extern "C" void OnSigint(int) { g_interrupted = true; }

// "out/digits.safetensors" -> "out/digits" + suffix
std::string Beside(const std::string& model, const std::string& suffix) {
  std::filesystem::path p(model);
  if (p.extension() == ".safetensors") p.replace_extension();
  return p.string() + suffix;
}

void ReportProblems(const std::vector<train::Problem>& problems) {
  for (const train::Problem& p : problems)
    std::fprintf(stderr, "auris train: skipped %s: %s\n", p.where.c_str(), p.reason.c_str());
}

train::AudioSet Load(const std::string& spec, const char* what, double rate, std::size_t min_samples, int threads,
                     bool quiet, bool strict) {
  train::DataSet data = train::ReadDataSpec(spec);
  const std::size_t listed = data.examples.size() + data.problems.size();
  Progress progress(data.examples.size(), !quiet && IsTerminal(stderr) ? stderr : nullptr);
  train::AudioSet set = train::LoadAudioSet(std::move(data), rate, min_samples, threads, &progress);
  progress.Finish();
  ReportProblems(set.problems);
  if (strict && !set.problems.empty())
    throw MakeError(spec, ": ", set.problems.size(), " of ", listed, " examples unusable (--strict), the first: ",
                    set.problems[0].where, ": ", set.problems[0].reason);
  std::fprintf(stderr, "%s data %s: using %zu of %zu examples (%.1f min of audio, %zu skipped)\n", what, spec.c_str(),
               set.size(), listed, set.TotalSeconds() / 60, set.problems.size());
  return set;
}

int Run(TrainArgs& a) {
  a.opt.task = a.task == "ctc" ? train::Task::kCtc : train::Task::kClassify;
  a.opt.units = train::ParseUnits(a.units);
  a.opt.Validate();
  pipeline::FeaturePipelineOptions features = a.flags.Resolve();
  const double rate = features.features.Frame().sample_frequency_hz;
  const std::size_t min_samples = static_cast<std::size_t>(features.features.Frame().WindowSize());

  train::AudioSet train_set = Load(a.train, "training", rate, min_samples, a.opt.num_threads, a.quiet, a.strict);
  std::unique_ptr<train::AudioSet> valid_set;
  if (!a.valid.empty())
    valid_set = std::make_unique<train::AudioSet>(
        Load(a.valid, "validation", rate, min_samples, a.opt.num_threads, a.quiet, a.strict));
  if (train_set.size() == 0) throw MakeError(a.train, ": no usable training examples");
  const bool ctc = a.opt.task == train::Task::kCtc;
  const std::vector<std::string> labels =
      ctc ? train::CtcLabels(train_set.examples, a.opt.units) : train::DistinctLabels(train_set.examples);
  if (labels.size() < 2) throw MakeError(a.train, ": need at least 2 labels, found ", labels.size());
  if (a.arch.empty()) a.arch = ctc ? "ctc-lstm" : "lstm-attpool";
  const auto timed = [](const train::Example& e) { return !e.words.empty(); };
  const bool all_timed = std::all_of(train_set.examples.begin(), train_set.examples.end(), timed);
  if (a.boundary_head == "on" && !(ctc && std::any_of(train_set.examples.begin(), train_set.examples.end(), timed)))
    throw MakeError("--boundary-head on: needs --task ctc and word times (words.ctm) for some training examples");
  a.opt.boundary_head = a.boundary_head == "on" || (a.boundary_head == "auto" && ctc && all_timed);

  if (a.flags.LearnsGlobalCmvn()) features.global_stats = train::ComputeGlobalStats(train_set, features, a.opt.num_threads);
  const std::string arch = train::ResolveArchitecture(a.arch, features.OutputDim(), static_cast<int>(labels.size()) + train::BoundaryOutputs(a.opt), a.size);
  train::Trainer trainer(a.opt, features, arch, labels, train_set, valid_set.get());
  std::fprintf(stderr, "model: %s, %lld parameters, %zu labels; %s\n", a.arch.c_str(),
               static_cast<long long>(trainer.Model().NumParams()), labels.size(), a.opt.ToString().c_str());

  const std::string checkpoint = Beside(a.out, ".ckpt.safetensors");
  const std::string log_path = Beside(a.out, ".log.jsonl");
  if (!a.resume.empty()) trainer.Resume(a.resume);
  TrainLog log(log_path, !a.resume.empty());

  g_interrupted = false;
  std::signal(SIGINT, OnSigint);
  const bool draw = !a.quiet && IsTerminal(stderr);
  train::TrainCallbacks cb;
  int epochs_done = 0;
  cb.stop_requested = [&] {
    return g_interrupted.load() || (a.stop_after_epoch > 0 && epochs_done >= a.stop_after_epoch);
  };
  cb.on_batch = [&](int done, int total, double loss) {
    if (!draw) return;
    std::fprintf(stderr, "\r  batch %d/%d  loss %.4f ", done, total, loss);
    std::fflush(stderr);
  };
  cb.on_epoch = [&](const train::EpochStats& e) {
    epochs_done = e.epoch;
    if (draw) std::fprintf(stderr, "\r\033[K");
    nlohmann::json j = {{"epoch", e.epoch}, {"train_loss", e.train_loss}, {"train_acc", e.train_acc},
                        {"lr", e.lr}, {"frames_per_s", e.frames_per_s}, {"elapsed_s", e.elapsed_s}};
    if (e.has_valid) {
      j["valid_loss"] = e.valid_loss;
      if (ctc) j["valid_wer"] = e.valid_wer;
      else j["valid_acc"] = e.valid_acc;
    }
    log.Append(e.epoch, j.dump());
    const double eta = e.elapsed_s / e.epoch * (a.opt.epochs - e.epoch);
    char valid[96] = "";
    if (e.has_valid)
      std::snprintf(valid, sizeof valid, "  valid %s %.2f%% loss %.4f", ctc ? "WER" : "acc",
                    (ctc ? e.valid_wer : e.valid_acc) * 100, e.valid_loss);
    std::fprintf(stderr, "epoch %d/%d  loss %.4f  train %.2f%%%s%s  %.0f frames/s  %s elapsed  ETA %s\n", e.epoch,
                 a.opt.epochs, e.train_loss, e.train_acc * 100, valid, e.best ? " *" : "",
                 e.frames_per_s, Progress::FormatDuration(e.elapsed_s).c_str(),
                 Progress::FormatDuration(eta).c_str());
  };
  const train::TrainResult r = trainer.Run(a.out, checkpoint, cb);
  std::signal(SIGINT, SIG_DFL);
  if (r.interrupted) {
    if (draw) std::fprintf(stderr, "\r\033[K");
    if (g_interrupted) {
      std::fprintf(stderr, "interrupted: checkpoint saved to %s (continue with --resume %s)\n", checkpoint.c_str(),
                   checkpoint.c_str());
      return 130;
    }
    std::fprintf(stderr, "stopped after epoch %d: checkpoint saved to %s (continue with --resume %s)\n",
                 epochs_done, checkpoint.c_str(), checkpoint.c_str());
    return 0;
  }
  if (r.averaged_epochs > 0) {
    char valid[64] = "";
    if (r.averaged_has_valid)
      std::snprintf(valid, sizeof valid, " (validation %s %.2f%%)", ctc ? "WER" : "accuracy",
                    (ctc ? 1 - r.averaged_valid_acc : r.averaged_valid_acc) * 100);
    std::fprintf(stderr, "done: mean weights of the last %d epochs%s saved to %s; log %s\n", r.averaged_epochs, valid,
                 a.out.c_str(), log_path.c_str());
    return 0;
  }
  std::fprintf(stderr, "%s: best model of epoch %d (%s %s %.2f%%) saved to %s; log %s\n",
               r.early_stopped ? "early stop" : "done", r.best_epoch, valid_set ? "validation" : "training",
               ctc && valid_set ? "WER" : "accuracy", (ctc && valid_set ? 1 - r.best_valid_acc : r.best_valid_acc) * 100,
               a.out.c_str(), log_path.c_str());
  return 0;
}

void RegisterTrain(CLI::App& app, Registry& registry) {
  auto a = std::make_shared<TrainArgs>();
  CLI::App* cmd = app.add_subcommand(
      "train",
      "Train an LSTM + attention model on labelled audio.\n"
      "  auris train --train SPEC [--valid SPEC] --out MODEL.safetensors [options]\n"
      "Data SPEC: DIR (one subfolder per label), list:FILE (\"<audio> <label>\" lines),\n"
      "kaldi:DIR (wav.scp + text [+ segments, utt2spk]). Audio of any rate / channel count\n"
      "is resampled to --sample-frequency and averaged to mono. The feature options are\n"
      "stored in the model, so inference always uses the same features.\n"
      "Writes MODEL (best on --valid), MODEL.ckpt.safetensors (every epoch, and on Ctrl-C)\n"
      "and MODEL.log.jsonl (one JSON line per epoch).\n"
      "Example: auris train --train data/train --valid data/dev --out digits.safetensors --type fbank");
  cmd->add_option("--task", a->task, "classify (one label per file) | ctc (transcripts; any length)")
      ->default_val("classify")->check(CLI::IsMember({"classify", "ctc"}));
  cmd->add_option("--train", a->train, "Training data spec")->required();
  cmd->add_option("--valid", a->valid, "Validation data spec (model selection, early stopping)");
  cmd->add_option("-o,--out", a->out, "Model file to write (.safetensors)")->required();
  cmd->add_option("--arch", a->arch,
                  "lstm-attpool | lstm-mhsa | ctc-lstm | architecture JSON file (default: lstm-attpool; ctc-lstm for CTC)");
  cmd->add_option("--boundary-head", a->boundary_head,
                  "CTC: also learn word boundaries from the data's words.ctm, for word timestamps "
                  "(auto: when every training example has word times; on: from the examples that have them)")
      ->check(CLI::IsMember({"auto", "on", "off"}))
      ->default_val(a->boundary_head);
  cmd->add_option("--boundary-weight", a->opt.boundary_weight, "Weight of the boundary head's loss")
      ->default_val(a->opt.boundary_weight);
  cmd->add_option("--onset-ms", a->opt.onset_ms, "Boundary head: a word's first this many ms are its onset")
      ->default_val(a->opt.onset_ms);
  cmd->add_option("--units", a->units, "CTC output units: words | chars")->default_val("words")
      ->check(CLI::IsMember({"words", "chars"}));
  cmd->add_option("--hidden", a->size.hidden, "LSTM width (named architectures)")->default_val(128);
  cmd->add_option("--lstm-layers", a->size.lstm_layers, "LSTM layers (named architectures)")->default_val(2);
  cmd->add_option("--dropout", a->size.dropout, "Dropout (named architectures)")->default_val(0.1);
  cmd->add_option("--stack-frames", a->size.stack,
                  "Input frames per model step (named architectures): N > 1 stacks N frames into one, so the network "
                  "runs N times less often (a low-frame-rate model, e.g. 3: 30 ms steps)")
      ->default_val(1)->check(CLI::Range(1, 64));
  const std::string t = "Training";
  cmd->add_option("--epochs", a->opt.epochs, "Epochs")->default_val(a->opt.epochs)->group(t);
  cmd->add_option("--batch-size", a->opt.batch_size, "Examples per batch")->default_val(a->opt.batch_size)->group(t);
  cmd->add_option("--lr", a->opt.lr, "Peak learning rate (AdamW, warm-up then cosine decay)")
      ->default_val(a->opt.lr)->group(t);
  cmd->add_option("--weight-decay", a->opt.weight_decay, "AdamW weight decay")->default_val(a->opt.weight_decay)->group(t);
  cmd->add_option("--warmup-steps", a->opt.warmup_steps, "Learning-rate warm-up (batches)")
      ->default_val(a->opt.warmup_steps)->group(t);
  cmd->add_option("--clip-norm", a->opt.clip_norm, "Gradient clipping (global norm)")->default_val(a->opt.clip_norm)->group(t);
  cmd->add_option("--label-smoothing", a->opt.label_smoothing, "Cross-entropy label smoothing")
      ->default_val(a->opt.label_smoothing)->group(t);
  cmd->add_option("--patience", a->opt.patience, "Early stop after N epochs without a better validation score (0: off)")
      ->default_val(a->opt.patience)->group(t);
  cmd->add_option("--average-last", a->opt.average_last,
                  "Final model: the mean of the weights after each of the last N epochs (checkpoint\n"
                  "averaging; 0: the best epoch on --valid)")
      ->default_val(a->opt.average_last)->group(t);
  cmd->add_option("--seed", a->opt.seed, "Random seed (initialisation, order, augmentation, dropout)")
      ->default_val(a->opt.seed)->group(t);
  cmd->add_option("--num-threads,--threads", a->opt.num_threads,
                  "Threads (0: all cores). The model does not depend on it: gradients are summed over\n"
                  "--gradient-shards shards in a fixed order")
      ->default_val(a->opt.num_threads)->group(t);
  cmd->add_option("--gradient-shards", a->opt.num_shards,
                  "Each batch's gradient is the sum of this many shards' (up to this many threads work on one\n"
                  "batch); the result depends on it, not on --num-threads")
      ->default_val(a->opt.num_shards)->group(t);
  cmd->add_option("--resume", a->resume, "Continue from a checkpoint (MODEL.ckpt.safetensors)")->group(t);
  cmd->add_option("--stop-after-epoch", a->stop_after_epoch,
                  "Stop after this epoch with a checkpoint, as Ctrl-C does (e.g. to fit a cluster job's time\n"
                  "limit); --resume continues to --epochs exactly as if never stopped")
      ->check(CLI::NonNegativeNumber)->group(t);
  cmd->add_option_function<std::vector<double>>(
         "--vtln-search",
         [a](const std::vector<double>& v) {
           try {
             a->opt.vtln_search = pipeline::VtlnSearchGrid(v[0], v[1], v[2]);
           } catch (const Error& e) {  // CLI11 reports only its own exceptions from a callback
             throw CLI::ValidationError(e.what());
           }
         },
         "Classifiers: at inference, classify with each VTLN warp MIN, MIN+STEP, ..., MAX and keep the most "
         "confident (test-time speaker normalisation; stored in the model), e.g. 0.85 1.15 0.05")
      ->expected(3)->type_name("MIN MAX STEP")->group(t);
  const std::string g = "Augmentation (training examples only; seeded)";
  train::AugmentOptions& au = a->opt.augment;
  auto range = [&](const std::string& name, double* lo, double* hi, const std::string& help) {
    return cmd->add_option_function<std::vector<double>>(
           name, [lo, hi](const std::vector<double>& v) { *lo = v[0], *hi = v[1]; }, help)
        ->expected(2)->type_name("MIN MAX")->group(g);
  };
  range("--aug-speed", &au.speed_min, &au.speed_max, "Speed perturbation factor range, e.g. 0.9 1.1");
  range("--aug-vtlp", &au.vtlp_min, &au.vtlp_max, "VTLN warp range (vocal tract length perturbation), e.g. 0.9 1.1");
  range("--aug-gain-db", &au.gain_db_min, &au.gain_db_max, "Random gain range in dB, e.g. -6 6");
  range("--aug-snr-db", &au.snr_db_min, &au.snr_db_max, "SNR range of added noise in dB")->default_str("5 30");
  cmd->add_option("--aug-shift-ms", au.shift_ms, "Random time shift up to +-this")->group(g);
  cmd->add_option("--aug-pad-ms", au.pad_ms, "Random silence up to this before and after the audio")->group(g);
  cmd->add_option("--aug-noise-prob", au.noise_prob, "Probability of adding noise")->group(g);
  cmd->add_option("--aug-noise", au.noise_files, "Noise recordings (default: generated white/pink/brown)")->group(g);
  cmd->add_option("--spec-time-masks", au.time_masks, "SpecAugment: time masks per example")->group(g);
  cmd->add_option("--spec-time-width", au.time_mask_max_frames, "SpecAugment: max frames per time mask")->group(g);
  cmd->add_option("--spec-freq-masks", au.freq_masks, "SpecAugment: frequency masks per example")->group(g);
  cmd->add_option("--spec-freq-width", au.freq_mask_max_bins, "SpecAugment: max bins per frequency mask")->group(g);
  cmd->add_flag("-q,--quiet", a->quiet, "No live progress bar");
  cmd->add_flag("--strict", a->strict,
                "Stop with an error if any listed example is missing or unusable (default: report and skip it, "
                "as for a corpus; a generated list should have none)");
  a->flags.Register(*cmd, /*training=*/true);
  cmd->callback([a, &registry] { registry.Set([a] { return Run(*a); }); });
}

}  // namespace

AURIS_COMMAND(20, RegisterTrain);

}  // namespace auris::cli
