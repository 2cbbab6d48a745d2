// Registers the feature-pipeline flags (every Kaldi feature option from
// dsp's option table, deltas, CMVN, audio loading) on a CLI11 command and
// turns what the user gave into FeaturePipelineOptions. Shared by every
// subcommand that computes features.
#pragma once

#include <CLI/CLI.hpp>

#include <map>
#include <string>

#include "auris/pipeline/feature_pipeline.h"

namespace auris::cli {

class FeatureFlags {
 public:
  // training: also offer --cmvn train (global statistics the trainer computes).
  void Register(CLI::App& cmd, bool training = false);
  // --cmvn train, or --cmvn online without --global-cmvn-stats in training.
  bool LearnsGlobalCmvn() const { return cmvn_ == "train" || (cmvn_ == "online" && online_stats_.empty()); }
  // Defaults → --preset → --type → explicit options. Throws auris::Error.
  pipeline::FeaturePipelineOptions Resolve() const;

 private:
  std::map<std::string, std::string> table_values_;  // Kaldi name -> text
  std::map<std::string, CLI::Option*> table_options_;
  std::string preset_ = "kaldi";
  bool add_deltas_ = false;
  int delta_order_ = 2;
  int delta_window_ = 2;
  std::string cmvn_;
  bool norm_means_ = true;
  bool norm_vars_ = false;
  int cmn_window_ = 600;
  int min_cmn_window_ = 100;
  bool center_ = false;
  std::string online_stats_;
  int global_frames_ = 200;
  bool trim_ = false;
  dsp::SpeechTrimOptions trim_options_;
  double trim_max_seconds_ = pipeline::kTrimMaxInputSeconds;
  int channel_ = -1;
  bool allow_downsample_ = false;
  bool allow_upsample_ = false;
  bool training_ = false;
};

}  // namespace auris::cli
