// Sequential: layers applied one after another; Residual: y = x + f(x) with f
// a Sequential whose output width equals its input width. Both are causal
// (streamable) when every inner layer is.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "auris/nn/layer.h"

namespace auris::nn {

// What Sequential::Forward keeps: one cache per layer, in order (e.g. to read
// an attention layer's weights for plotting from a model's cache).
struct SequentialCache final : LayerCache {
  std::vector<std::unique_ptr<LayerCache>> caches;
};

class Sequential final : public Layer {
 public:
  // `input_dim` is used only while empty (an empty Sequential is the identity).
  explicit Sequential(int input_dim) : input_dim_(input_dim) {}
  // Appends a layer; its InputDim must equal the current OutputDim.
  void Append(std::unique_ptr<Layer> layer);
  int NumLayers() const { return static_cast<int>(layers_.size()); }
  const Layer& At(int i) const { return *layers_[i]; }

  std::string Kind() const override { return "sequential"; }
  int InputDim() const override { return input_dim_; }
  int OutputDim() const override;
  SeqBatch Forward(const SeqBatch& in, const ParamStore& params, RunContext& ctx,
                   std::unique_ptr<LayerCache>* cache) const override;
  SeqBatch Backward(const SeqBatch& grad_out, const ParamStore& params, const LayerCache& cache,
                    Grads& grads) const override;
  bool IsCausal() const override;
  std::unique_ptr<StepState> NewStepState(const ParamStore& params) const override;
  void Step(const float* in, const ParamStore& params, StepState& state, float* out) const override;
  void StepMany(std::span<const float* const> in, const ParamStore& params, std::span<StepState* const> states,
                std::span<float* const> out) const override;
  // The StepState of layer i inside `state` (from this Sequential's
  // NewStepState), e.g. to read attention pooling's scores of the last frame.
  const StepState* LayerState(const StepState& state, int i) const;

 private:
  int input_dim_;
  std::vector<std::unique_ptr<Layer>> layers_;
};

class Residual final : public Layer {
 public:
  explicit Residual(std::unique_ptr<Sequential> body);
  const Sequential& Body() const { return *body_; }

  std::string Kind() const override { return "residual"; }
  int InputDim() const override { return body_->InputDim(); }
  int OutputDim() const override { return body_->InputDim(); }
  SeqBatch Forward(const SeqBatch& in, const ParamStore& params, RunContext& ctx,
                   std::unique_ptr<LayerCache>* cache) const override;
  SeqBatch Backward(const SeqBatch& grad_out, const ParamStore& params, const LayerCache& cache,
                    Grads& grads) const override;
  bool IsCausal() const override { return body_->IsCausal(); }
  std::unique_ptr<StepState> NewStepState(const ParamStore& params) const override;
  void Step(const float* in, const ParamStore& params, StepState& state, float* out) const override;

 private:
  std::unique_ptr<Sequential> body_;
};

}  // namespace auris::nn
