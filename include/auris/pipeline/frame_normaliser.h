// The model's feature post-processing applied one frame at a time, for
// streams: nothing, global CMVN with its mean and scale computed once, or
// online (causal) CMVN, which keeps its window of the stream's past frames.
// Chains that look ahead (deltas, utterance or sliding CMVN) cannot stream
// and are rejected when the normaliser is built.
#pragma once

#include <optional>

#include "auris/dsp/cmvn.h"
#include "auris/dsp/online_cmvn.h"
#include "auris/pipeline/feature_pipeline.h"

namespace auris::pipeline {

// Throws auris::Error saying why the chain cannot run as a stream.
void CheckStreamableFeatures(const FeaturePipelineOptions& options);

class FrameNormaliser {
 public:
  // Throws as CheckStreamableFeatures, or on bad global statistics.
  explicit FrameNormaliser(const FeaturePipelineOptions& options);

  // frame: the stream's next frame, the feature extractor's Dim() floats,
  // normalised in place. The frames of one stream equal PostProcess() on the
  // same rows; allocates nothing.
  void Apply(float* frame) noexcept;

 private:
  int dim_;
  std::optional<dsp::CmvnTransform> cmvn_;
  std::optional<dsp::OnlineCmvn> online_;
};

}  // namespace auris::pipeline
