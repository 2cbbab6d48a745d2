// Linear layer y = x Wᵀ + b, applied to every frame. PyTorch's nn.Linear
// names and shapes: <prefix>weight [out, in], <prefix>bias [out]; init
// uniform(-1/sqrt(in), 1/sqrt(in)) for both, as PyTorch.
#pragma once

#include <string>

#include "auris/nn/int8_weights.h"
#include "auris/nn/layer.h"
#include "auris/nn/shared_step_weights.h"

namespace auris::nn {

struct LinearOptions {
  int in = 0;
  int out = 0;
  bool bias = true;
  void Validate() const;
  std::string ToString() const;
};

class Linear final : public Layer {
 public:
  Linear(ParamStore& params, const std::string& prefix, const LinearOptions& opts, Rng& rng);

  std::string Kind() const override { return "linear"; }
  int InputDim() const override { return opts_.in; }
  int OutputDim() const override { return opts_.out; }
  SeqBatch Forward(const SeqBatch& in, const ParamStore& params, RunContext& ctx,
                   std::unique_ptr<LayerCache>* cache) const override;
  SeqBatch Backward(const SeqBatch& grad_out, const ParamStore& params, const LayerCache& cache,
                    Grads& grads) const override;
  bool IsCausal() const override { return true; }
  std::unique_ptr<StepState> NewStepState(const ParamStore& params) const override;
  void Step(const float* in, const ParamStore& params, StepState& state, float* out) const override;

 private:
  LinearOptions opts_;
  int weight_ = -1;
  int bias_ = -1;  // -1 without bias
  SharedStepWeights<Int8Matrix> int8_weights_;  // with ParamStore::Int8Step
};

}  // namespace auris::nn
