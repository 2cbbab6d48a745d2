// The feature chain for one utterance, as `auris features` and training use
// it: audio (streamed from the file, channel, segment, resampling) → online
// feature extractor → CMVN → deltas. Kaldi's order: compute-*-feats, then
// apply-cmvn / apply-cmvn-sliding, then add-deltas.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "auris/audio/load.h"
#include "auris/core/eigen.h"
#include "auris/dsp/cmvn.h"
#include "auris/dsp/deltas.h"
#include "auris/dsp/feature_options.h"
#include "auris/dsp/online_cmvn.h"
#include "auris/dsp/sliding_cmn.h"
#include "auris/dsp/speech_trim.h"
#include "auris/io/inputs.h"

namespace auris::pipeline {

// kOnline: causal (dsp/online_cmvn.h), with global_stats as its prior.
enum class CmvnMode { kNone, kUtterance, kSliding, kGlobal, kOnline };

// Default of FeaturePipelineOptions::trim_max_input_seconds: 10 minutes,
// far beyond an isolated word (38 MB of samples at 16 kHz).
inline constexpr double kTrimMaxInputSeconds = 600;

struct FeaturePipelineOptions {
  dsp::FeatureOptions features;
  audio::AudioLoadOptions audio;  // target rate is taken from features
  bool add_deltas = false;
  dsp::DeltaOptions deltas;
  CmvnMode cmvn = CmvnMode::kNone;
  dsp::CmvnOptions cmvn_options;      // utterance and global
  dsp::SlidingCmnOptions sliding;     // sliding
  dsp::OnlineCmvnOptions online;      // online
  MatrixD global_stats;               // kGlobal, kOnline: Kaldi stats, 2 x (dim + 1)
  // Zero samples appended after the audio (not counted in its duration):
  // the flush a causal model needs to emit a word that ends with the input.
  // Set by the Recognizer for CTC models; not stored in model files.
  double tail_silence_ms = 0;
  // Whole inputs are cut to their speech first (dsp/speech_trim.h): for
  // classifiers of isolated words; not with tail silence (CTC models).
  std::optional<dsp::SpeechTrimOptions> trim;
  // Trimming holds a whole input in memory (the span is known only at its
  // end), so with `trim` longer inputs are refused, naming the input, once
  // this much has been read. Not stored in model files.
  double trim_max_input_seconds = kTrimMaxInputSeconds;

  int OutputDim() const;
  void Validate() const;
};

struct UtteranceFeatures {
  Matrix features;
  double audio_seconds = 0;
  std::string warning;  // e.g. multi-channel file without --channel
};

// Extracts one input (file or wav.scp pipe, possibly a segment). Throws
// auris::Error starting with the utterance id and naming the file on any problem,
// including audio shorter than one frame.
UtteranceFeatures ExtractUtterance(const io::InputItem& source,
                                   const FeaturePipelineOptions& options);

// The same for several variants of the feature options (e.g. VTLN warps; same
// sample rate), reading and resampling the audio once: one result per variant.
std::vector<UtteranceFeatures> ExtractUtteranceVariants(const io::InputItem& source,
                                                        const FeaturePipelineOptions& options,
                                                        const std::vector<dsp::FeatureOptions>& variants);

// The zero samples of options.tail_silence_ms at the feature sample rate.
std::vector<float> TailSilence(const FeaturePipelineOptions& options);
// The samples as a model with these options hears them: followed by TailSilence.
std::vector<float> WithTailSilence(std::vector<float> samples, const FeaturePipelineOptions& options);

// The samples (at the feature rate) cut to their speech when options.trim is
// set; unchanged otherwise.
std::vector<float> TrimToSpeech(std::vector<float> samples, const FeaturePipelineOptions& options);

// Runs the post-processing (CMVN, deltas) on computed features.
Matrix PostProcess(Matrix features, const FeaturePipelineOptions& options);

}  // namespace auris::pipeline
