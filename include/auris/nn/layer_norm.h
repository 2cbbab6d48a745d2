// LayerNorm over the feature dimension of every frame, as PyTorch's
// nn.LayerNorm(dim): <prefix>weight [dim] (init 1), <prefix>bias [dim]
// (init 0), biased variance, eps inside the square root.
#pragma once

#include <string>

#include "auris/nn/layer.h"

namespace auris::nn {

class LayerNorm final : public Layer {
 public:
  LayerNorm(ParamStore& params, const std::string& prefix, int dim, float eps = 1e-5f);

  std::string Kind() const override { return "layernorm"; }
  int InputDim() const override { return dim_; }
  int OutputDim() const override { return dim_; }
  SeqBatch Forward(const SeqBatch& in, const ParamStore& params, RunContext& ctx,
                   std::unique_ptr<LayerCache>* cache) const override;
  SeqBatch Backward(const SeqBatch& grad_out, const ParamStore& params, const LayerCache& cache,
                    Grads& grads) const override;
  bool IsCausal() const override { return true; }
  std::unique_ptr<StepState> NewStepState(const ParamStore& params) const override;
  void Step(const float* in, const ParamStore& params, StepState& state, float* out) const override;

 private:
  int dim_;
  float eps_;
  int weight_ = -1;
  int bias_ = -1;
};

}  // namespace auris::nn
