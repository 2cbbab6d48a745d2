#include "feature_flags.h"

#include <filesystem>

#include "auris/core/error.h"
#include "auris/dsp/option_table.h"
#include "auris/io/feature_reader.h"
#include "auris/io/kaldi_matrix.h"
#include "auris/io/npy.h"

namespace auris::cli {
namespace {

// Global CMVN statistics: .npy, the first matrix of an ark/scp rspecifier,
// or a Kaldi matrix file (what compute-cmvn-stats writes for one matrix).
// flag: the option that named the file, for errors.
MatrixD ReadStatsMatrix(const std::string& spec, const char* flag) {
  if (spec.ends_with(".npy")) return io::ReadNpy(spec).ToMatrixD();
  if (spec.starts_with("ark:") || spec.starts_with("scp:")) {
    io::SequentialMatrixReader reader(spec);
    if (reader.Done()) throw MakeError(flag, " ", spec, ": no statistics matrix in it");
    return reader.Value().cast<double>();
  }
  if (!std::filesystem::exists(spec))
    throw MakeError(flag, " ", spec,
                    flag == std::string("--cmvn") ? ": not utt, sliding, online or an existing statistics file"
                                                   : ": no such file");
  return io::ReadKaldiMatrixD(spec);
}

// Valid statistics of one all-zero frame, standing in until the trainer
// fills in the training data's (--cmvn train, --cmvn online in training).
MatrixD StatsToBeLearned(int dim) {
  MatrixD stats = MatrixD::Zero(2, dim + 1);
  stats(0, dim) = 1;
  return stats;
}

}  // namespace

void FeatureFlags::Register(CLI::App& cmd, bool training) {
  training_ = training;
  dsp::FeatureOptions defaults;
  dsp::ForEachOption(defaults, [&](const dsp::OptionRef& ref) {
    const std::string name(ref.name);
    // Booleans as Kaldi takes them: --snip-edges, --snip-edges=false.
    const bool is_bool = ref.kind == dsp::OptionKind::kBool;
    CLI::Option* opt =
        is_bool ? cmd.add_flag("--" + name, table_values_[name], std::string(ref.help))
                : cmd.add_option("--" + name, table_values_[name], std::string(ref.help));
    static const char* kTypeNames[] = {"BOOL", "INT", "FLOAT", "TEXT"};
    opt->default_str(ref.value)->type_name(kTypeNames[static_cast<int>(ref.kind)]);
    opt->group("Features (Kaldi names)");
    table_options_[name] = opt;
  });
  cmd.add_option("--preset", preset_,
                 "kaldi: Kaldi's defaults; librosa: torchaudio.transforms.MelSpectrogram/MFCC "
                 "(HTK mel, periodic Hann, no pre-emphasis/DC removal/lifter, log(x + 1e-6)); "
                 "explicit options override it")
      ->default_str("kaldi")->check(CLI::IsMember({"kaldi", "librosa"}))->group("Features (Kaldi names)");

  const std::string post = "Post-processing (CMVN, then deltas)";
  cmd.add_flag("--add-deltas", add_deltas_, "Append delta features (Kaldi add-deltas)")->group(post);
  cmd.add_option("--delta-order", delta_order_, "Order of deltas")->default_val(2)->group(post);
  cmd.add_option("--delta-window", delta_window_, "Delta window half-width (frames)")->default_val(2)->group(post);
  cmd.add_option("--cmvn", cmvn_,
                 "utt: per-utterance CMVN; sliding: apply-cmvn-sliding; online: causal, as Kaldi's "
                 "apply-cmvn-online (each frame uses the --cmn-window frames up to it, leaning on "
                 "--global-cmvn-stats at the start; for streaming models that must not depend on the "
                 "input level); FILE: global stats "
                 "(Kaldi 2 x (dim+1) matrix: ark/scp rspecifier, a binary/text matrix file, or .npy)" +
                     std::string(training ? "; train: global stats of the training data, stored in the model" : ""))
      ->group(post);
  cmd.add_option("--global-cmvn-stats", online_stats_,
                 "Online CMVN: the global statistics (formats as --cmvn FILE)" +
                     std::string(training ? "; default: those of the training data" : "; required"))
      ->group(post);
  cmd.add_option("--global-frames", global_frames_,
                 "Online CMVN: frames' worth of the global statistics added while the window is short")
      ->default_val(200)->group(post);
  cmd.add_flag("--norm-means", norm_means_, "CMVN: normalise means")->default_str("true")->group(post);
  cmd.add_flag("--norm-vars", norm_vars_, "CMVN: also normalise variances")->default_str("false")->group(post);
  cmd.add_option("--cmn-window", cmn_window_, "Sliding and online CMVN window (frames)")->default_val(600)->group(post);
  cmd.add_option("--min-cmn-window", min_cmn_window_,
                 "Sliding CMVN: minimum window at the start (frames, only without --center)")
      ->default_val(100)->group(post);
  cmd.add_flag("--center", center_, "Sliding CMVN: centre the window on the frame")
      ->default_str("false")->group(post);

  const std::string trim = "Speech trimming (whole inputs, classifiers)";
  CLI::Option* trim_flag = cmd.add_flag("--trim-silence", trim_,
               "Cut each input to its speech (10-ms block energies) before features: isolated words "
               "recorded with silence or noise around them")
      ->default_str("false")->group(trim);
  cmd.add_option("--trim-above-floor-db", trim_options_.above_floor_db,
                 "Speech: blocks this many dB above the background (10th percentile)")
      ->default_val(trim_options_.above_floor_db)->needs(trim_flag)->group(trim);
  cmd.add_option("--trim-below-peak-db", trim_options_.below_peak_db,
                 "... and at most this many dB below the loudest block")
      ->default_val(trim_options_.below_peak_db)->needs(trim_flag)->group(trim);
  cmd.add_option("--trim-margin-ms", trim_options_.margin_ms, "Kept before and after the speech (ms)")
      ->default_val(trim_options_.margin_ms)->needs(trim_flag)->group(trim);
  // Training loads its clips whole anyway; features and plot stream otherwise.
  if (!training)
    cmd.add_option("--trim-max-seconds", trim_max_seconds_,
                   "Longest input trimmed: trimming holds a whole input in memory, so a longer one fails "
                   "(named; the other inputs go on)")
        ->default_val(trim_max_seconds_)->needs(trim_flag)->group(trim);

  const std::string in = "Audio input";
  cmd.add_option("--channel", channel_,
                 "Channel to extract (-1: channel 0; Kaldi semantics, warns for multi-channel files)")
      ->default_val(-1)->group(in);
  cmd.add_flag("--allow-downsample", allow_downsample_,
                 "Resample (soxr) files whose rate is above --sample-frequency")
      ->default_str("false")->group(in);
  cmd.add_flag("--allow-upsample", allow_upsample_,
                 "Resample (soxr) files whose rate is below --sample-frequency")
      ->default_str("false")->group(in);
}

pipeline::FeaturePipelineOptions FeatureFlags::Resolve() const {
  pipeline::FeaturePipelineOptions o;
  if (auto it = table_options_.find("type"); it != table_options_.end() && it->second->count() > 0)
    o.features.type = table_values_.at("type");
  dsp::ApplyPreset(preset_, &o.features);
  dsp::ForEachOption(o.features, [&](const dsp::OptionRef& ref) {
    const std::string name(ref.name);
    const CLI::Option* opt = table_options_.at(name);
    if (opt->count() == 0 || name == "type") return;
    ref.set(table_values_.at(name));
  });
  o.features.Validate();

  o.audio.channel = channel_;
  o.audio.allow_downsample = allow_downsample_;
  o.audio.allow_upsample = allow_upsample_;
  o.add_deltas = add_deltas_;
  o.deltas.order = delta_order_;
  o.deltas.window_frames = delta_window_;
  o.cmvn_options.norm_means = norm_means_;
  o.cmvn_options.norm_vars = norm_vars_;
  o.sliding.cmn_window_frames = cmn_window_;
  o.sliding.min_cmn_window_frames = min_cmn_window_;
  o.sliding.center = center_;
  o.sliding.norm_vars = norm_vars_;
  o.online = {.cmn_window_frames = cmn_window_, .global_frames = global_frames_, .norm_vars = norm_vars_};
  if (!online_stats_.empty() && cmvn_ != "online") throw MakeError("--global-cmvn-stats: only with --cmvn online");
  if (trim_) o.trim = trim_options_;
  o.trim_max_input_seconds = trim_max_seconds_;
  if (cmvn_.empty()) {
    o.cmvn = pipeline::CmvnMode::kNone;
  } else if (cmvn_ == "utt") {
    o.cmvn = pipeline::CmvnMode::kUtterance;
  } else if (cmvn_ == "sliding") {
    o.cmvn = pipeline::CmvnMode::kSliding;
  } else if (cmvn_ == "online") {
    o.cmvn = pipeline::CmvnMode::kOnline;
    if (!online_stats_.empty()) {
      o.global_stats = ReadStatsMatrix(online_stats_, "--global-cmvn-stats");
    } else if (training_) {
      o.global_stats = StatsToBeLearned(o.features.Dim());
    } else {
      throw MakeError("--cmvn online needs --global-cmvn-stats FILE (e.g. compute-cmvn-stats of the training data)");
    }
  } else if (cmvn_ == "train") {
    if (!training_) throw MakeError("--cmvn train: only for auris train (global statistics of the training data)");
    o.cmvn = pipeline::CmvnMode::kGlobal;
    o.global_stats = StatsToBeLearned(o.features.Dim());
  } else {
    o.cmvn = pipeline::CmvnMode::kGlobal;
    o.global_stats = ReadStatsMatrix(cmvn_, "--cmvn");
  }
  o.Validate();
  return o;
}

}  // namespace auris::cli
