// Element-wise activations as layers: ReLU, GELU (exact erf form, PyTorch's
// default nn.GELU()), tanh. No parameters.
#pragma once

#include <string>

#include "auris/nn/layer.h"

namespace auris::nn {

enum class ActivationKind { kRelu, kGelu, kTanh };

// "relu", "gelu", "tanh" -> kind; throws auris::Error naming the others.
ActivationKind ParseActivation(const std::string& name);
std::string ActivationName(ActivationKind kind);

class Activation final : public Layer {
 public:
  Activation(ActivationKind kind, int dim);

  std::string Kind() const override { return ActivationName(kind_); }
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
  ActivationKind kind_;
  int dim_;
};

}  // namespace auris::nn
