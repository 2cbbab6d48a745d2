#include "auris/pipeline/frame_normaliser.h"

#include "auris/core/error.h"

namespace auris::pipeline {

void CheckStreamableFeatures(const FeaturePipelineOptions& f) {
  if (f.add_deltas)
    throw MakeError("the model's features use deltas, which look ahead: it cannot run as a stream");
  if (f.cmvn == CmvnMode::kUtterance || f.cmvn == CmvnMode::kSliding)
    throw MakeError("the model's features use ", f.cmvn == CmvnMode::kUtterance ? "utterance" : "sliding",
                    " CMVN, which looks ahead: it cannot run as a stream");
}

FrameNormaliser::FrameNormaliser(const FeaturePipelineOptions& options)
    : dim_(options.features.Dim()) {
  CheckStreamableFeatures(options);
  if (options.cmvn == CmvnMode::kGlobal) cmvn_.emplace(options.global_stats, options.cmvn_options);
  if (options.cmvn == CmvnMode::kOnline) online_.emplace(options.online, options.global_stats);
}

void FrameNormaliser::Apply(float* frame) noexcept {
  if (cmvn_) cmvn_->ApplyFrame({frame, static_cast<std::size_t>(dim_)});
  if (online_) online_->ApplyFrame({frame, static_cast<std::size_t>(dim_)});
}

}  // namespace auris::pipeline
