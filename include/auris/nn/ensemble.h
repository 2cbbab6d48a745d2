// Ensemble: K member networks that read the same input; the output is the
// mean of their outputs. For classifiers that is the mean of the members'
// logits, i.e. the normalised geometric mean of their probabilities — the
// usual way to combine independently trained models (`auris ensemble`).
// Members must agree on the output width and on pooling (all end in one
// vector per sequence, or none does); causal when every member is.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "auris/nn/sequential.h"

namespace auris::nn {

// What Ensemble::Forward keeps: one cache per member.
struct EnsembleCache final : LayerCache {
  std::vector<std::unique_ptr<LayerCache>> members;
};

class Ensemble final : public Layer {
 public:
  // Throws auris::Error if there are no members or their widths differ.
  explicit Ensemble(std::vector<std::unique_ptr<Sequential>> members);
  int NumMembers() const { return static_cast<int>(members_.size()); }
  const Sequential& Member(int k) const { return *members_[k]; }

  std::string Kind() const override { return "ensemble"; }
  int InputDim() const override { return members_[0]->InputDim(); }
  int OutputDim() const override { return members_[0]->OutputDim(); }
  SeqBatch Forward(const SeqBatch& in, const ParamStore& params, RunContext& ctx,
                   std::unique_ptr<LayerCache>* cache) const override;
  SeqBatch Backward(const SeqBatch& grad_out, const ParamStore& params, const LayerCache& cache,
                    Grads& grads) const override;
  bool IsCausal() const override;
  std::unique_ptr<StepState> NewStepState(const ParamStore& params) const override;
  void Step(const float* in, const ParamStore& params, StepState& state, float* out) const override;
  void StepMany(std::span<const float* const> in, const ParamStore& params, std::span<StepState* const> states,
                std::span<float* const> out) const override;

 private:
  std::vector<std::unique_ptr<Sequential>> members_;
};

}  // namespace auris::nn
