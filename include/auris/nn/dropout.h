// Dropout: in training, zeroes each entry with probability p and scales the
// kept ones by 1/(1-p) (inverted dropout, as PyTorch), drawing the mask from
// RunContext::rng; identity at inference and in Step().
#pragma once

#include <string>

#include "auris/nn/layer.h"

namespace auris::nn {

// Fills `mask` (any shape) with 0 or 1/(1-p) entries; p in [0, 1).
void DropoutMask(Matrix& mask, float p, Rng& rng);

class Dropout final : public Layer {
 public:
  Dropout(float p, int dim);

  std::string Kind() const override { return "dropout"; }
  int InputDim() const override { return dim_; }
  int OutputDim() const override { return dim_; }
  float P() const { return p_; }
  SeqBatch Forward(const SeqBatch& in, const ParamStore& params, RunContext& ctx,
                   std::unique_ptr<LayerCache>* cache) const override;
  SeqBatch Backward(const SeqBatch& grad_out, const ParamStore& params, const LayerCache& cache,
                    Grads& grads) const override;
  bool IsCausal() const override { return true; }
  std::unique_ptr<StepState> NewStepState(const ParamStore& params) const override;
  void Step(const float* in, const ParamStore& params, StepState& state, float* out) const override;

 private:
  float p_;
  int dim_;
};

}  // namespace auris::nn
