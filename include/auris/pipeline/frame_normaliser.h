// The model's feature post-processing applied one frame at a time, for
// streams: nothing, or global CMVN with its mean and scale computed once.
// Chains that look ahead (deltas, utterance or sliding CMVN) cannot stream
// and are rejected when the normaliser is built.
#pragma once

#include <optional>

#include "auris/dsp/cmvn.h"
#include "auris/pipeline/feature_pipeline.h"

namespace auris::pipeline {

// Throws auris::Error saying why the chain cannot run as a stream.
void CheckStreamableFeatures(const FeaturePipelineOptions& options);

class FrameNormaliser {
 public:
  // Throws as CheckStreamableFeatures, or on bad global statistics.
  explicit FrameNormaliser(const FeaturePipelineOptions& options);

  // frame: the feature extractor's Dim() floats, normalised in place. Equals
  // PostProcess() on the same rows; allocates nothing.
  void Apply(float* frame) const noexcept;

 private:
  int dim_;
  std::optional<dsp::CmvnTransform> cmvn_;
};

}  // namespace auris::pipeline
