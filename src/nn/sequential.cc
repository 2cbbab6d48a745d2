#include "auris/nn/sequential.h"

#include <algorithm>
#include <array>

#include "auris/core/check.h"

namespace auris::nn {
namespace {

struct SequentialState final : StepState {
  std::vector<std::unique_ptr<StepState>> states;
  std::vector<std::vector<float>> outputs;  // output of every layer but the last
  void Reset() override {
    for (auto& s : states) s->Reset();
  }
};

struct ResidualState final : StepState {
  std::unique_ptr<StepState> body;
  std::vector<float> f;  // body output
  void Reset() override { body->Reset(); }
};

}  // namespace

void Sequential::Append(std::unique_ptr<Layer> layer) {
  AURIS_CHECK(layer != nullptr);
  if (layer->InputDim() != OutputDim())
    throw MakeError("layer ", layers_.size(), " (", layer->Kind(), ") expects input width ",
                    layer->InputDim(), ", the previous layer gives ", OutputDim());
  layers_.push_back(std::move(layer));
}

int Sequential::OutputDim() const { return layers_.empty() ? input_dim_ : layers_.back()->OutputDim(); }

SeqBatch Sequential::Forward(const SeqBatch& in, const ParamStore& params, RunContext& ctx,
                             std::unique_ptr<LayerCache>* cache) const {
  std::unique_ptr<SequentialCache> c;
  if (cache) {
    c = std::make_unique<SequentialCache>();
    c->caches.resize(layers_.size());
  }
  if (layers_.empty()) return in;
  SeqBatch x = layers_[0]->Forward(in, params, ctx, c ? &c->caches[0] : nullptr);
  for (std::size_t i = 1; i < layers_.size(); ++i)
    x = layers_[i]->Forward(x, params, ctx, c ? &c->caches[i] : nullptr);
  if (cache) *cache = std::move(c);
  return x;
}

SeqBatch Sequential::Backward(const SeqBatch& grad_out, const ParamStore& params,
                              const LayerCache& cache, Grads& grads) const {
  const auto& c = static_cast<const SequentialCache&>(cache);
  if (layers_.empty()) return grad_out;
  SeqBatch g = layers_.back()->Backward(grad_out, params, *c.caches.back(), grads);
  for (std::size_t i = layers_.size() - 1; i-- > 0;) g = layers_[i]->Backward(g, params, *c.caches[i], grads);
  return g;
}

bool Sequential::IsCausal() const {
  return std::all_of(layers_.begin(), layers_.end(), [](const auto& l) { return l->IsCausal(); });
}

std::unique_ptr<StepState> Sequential::NewStepState(const ParamStore& params) const {
  if (!IsCausal()) throw MakeError("this model is not causal: it cannot run step by step");
  auto s = std::make_unique<SequentialState>();
  for (std::size_t i = 0; i < layers_.size(); ++i) {
    s->states.push_back(layers_[i]->NewStepState(params));
    if (i + 1 < layers_.size()) s->outputs.emplace_back(layers_[i]->OutputDim());
  }
  return s;
}

void Sequential::Step(const float* in, const ParamStore& params, StepState& state, float* out) const {
  auto& s = static_cast<SequentialState&>(state);
  if (layers_.empty()) {
    std::copy(in, in + input_dim_, out);
    return;
  }
  const float* x = in;
  for (std::size_t i = 0; i < layers_.size(); ++i) {
    float* y = i + 1 < layers_.size() ? s.outputs[i].data() : out;
    layers_[i]->Step(x, params, *s.states[i], y);
    x = y;
  }
}

void Sequential::StepMany(std::span<const float* const> in, const ParamStore& params,
                          std::span<StepState* const> states, std::span<float* const> out) const {
  const std::size_t n = states.size();
  AURIS_CHECK(in.size() == n && out.size() == n && n <= kMaxStepMany);
  if (layers_.empty()) {
    for (std::size_t i = 0; i < n; ++i) std::copy(in[i], in[i] + input_dim_, out[i]);
    return;
  }
  std::array<const float*, kMaxStepMany> x;
  std::array<float*, kMaxStepMany> y;
  std::array<StepState*, kMaxStepMany> layer_states;
  std::copy(in.begin(), in.end(), x.begin());
  for (std::size_t l = 0; l < layers_.size(); ++l) {
    for (std::size_t i = 0; i < n; ++i) {
      auto& s = static_cast<SequentialState&>(*states[i]);
      layer_states[i] = s.states[l].get();
      y[i] = l + 1 < layers_.size() ? s.outputs[l].data() : out[i];
    }
    layers_[l]->StepMany({x.data(), n}, params, {layer_states.data(), n}, {y.data(), n});
    std::copy(y.begin(), y.begin() + static_cast<std::ptrdiff_t>(n), x.begin());
  }
}

const StepState* Sequential::LayerState(const StepState& state, int i) const {
  AURIS_CHECK(i >= 0 && i < NumLayers());
  return static_cast<const SequentialState&>(state).states[static_cast<std::size_t>(i)].get();
}

Residual::Residual(std::unique_ptr<Sequential> body) : body_(std::move(body)) {
  AURIS_CHECK(body_ != nullptr);
  if (body_->OutputDim() != body_->InputDim())
    throw MakeError("residual: the inner layers map width ", body_->InputDim(), " to ",
                    body_->OutputDim(), "; they must keep the width");
}

SeqBatch Residual::Forward(const SeqBatch& in, const ParamStore& params, RunContext& ctx,
                           std::unique_ptr<LayerCache>* cache) const {
  SeqBatch y = body_->Forward(in, params, ctx, cache);
  y.data += in.data;
  y.ZeroPadding();
  return y;
}

SeqBatch Residual::Backward(const SeqBatch& grad_out, const ParamStore& params,
                            const LayerCache& cache, Grads& grads) const {
  SeqBatch g = body_->Backward(grad_out, params, cache, grads);
  g.data += grad_out.data;
  g.ZeroPadding();
  return g;
}

std::unique_ptr<StepState> Residual::NewStepState(const ParamStore& params) const {
  auto s = std::make_unique<ResidualState>();
  s->body = body_->NewStepState(params);
  s->f.resize(body_->OutputDim());
  return s;
}

void Residual::Step(const float* in, const ParamStore& params, StepState& state, float* out) const {
  auto& s = static_cast<ResidualState&>(state);
  body_->Step(in, params, *s.body, s.f.data());
  for (int i = 0; i < InputDim(); ++i) out[i] = in[i] + s.f[i];
}

}  // namespace auris::nn
