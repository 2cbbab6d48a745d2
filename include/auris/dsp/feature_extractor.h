// Type-erased online extractor built from FeatureOptions::type, for callers
// (CLI, pipeline, models) that choose the feature type at run time.
#pragma once

#include <cstdint>
#include <variant>

#include "auris/core/eigen.h"
#include "auris/dsp/fbank.h"
#include "auris/dsp/feature_options.h"
#include "auris/dsp/mfcc.h"
#include "auris/dsp/online_feature.h"
#include "auris/dsp/plp.h"
#include "auris/dsp/spectrogram.h"

namespace auris::dsp {

class OnlineFeatureExtractor {
 public:
  explicit OnlineFeatureExtractor(const FeatureOptions& opts);  // validates

  int Dim() const;
  const FrameOptions& GetFrameOptions() const;
  void AcceptWaveform(float sample_rate, const float* samples, std::int64_t n);
  void InputFinished();
  bool IsInputFinished() const;
  std::int64_t NumFramesReady() const;
  std::int64_t NumFramesPopped() const;
  bool IsLastFrame(std::int64_t frame) const;
  const float* Frame(std::int64_t frame) const;
  void GetFrame(std::int64_t frame, float* out) const;
  Matrix GetFrames(std::int64_t first, std::int64_t count) const;
  void Pop(std::int64_t n);
  Matrix PopAll();

 private:
  using Variant = std::variant<OnlineFeature<MfccComputer>, OnlineFeature<FbankComputer>,
                               OnlineFeature<SpectrogramComputer>, OnlineFeature<PlpComputer>>;
  static Variant Make(const FeatureOptions& opts);
  Variant impl_;
};

// Batch extraction of the feature type named by opts.type.
Matrix ComputeFeatures(const FeatureOptions& opts, const float* samples, std::int64_t n);

}  // namespace auris::dsp
