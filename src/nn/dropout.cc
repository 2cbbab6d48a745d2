#include "auris/nn/dropout.h"

#include <algorithm>

#include "auris/core/check.h"

namespace auris::nn {
namespace {

struct DropoutCache final : LayerCache {
  bool active = false;
  Matrix mask;
};

}  // namespace

void DropoutMask(Matrix& mask, float p, Rng& rng) {
  const float scale = 1.0f / (1.0f - p);
  for (Eigen::Index i = 0; i < mask.size(); ++i) mask.data()[i] = rng.Uniform() < p ? 0.0f : scale;
}

Dropout::Dropout(float p, int dim) : p_(p), dim_(dim) {
  if (!(p >= 0.0f && p < 1.0f)) throw MakeError("dropout: p must be in [0, 1), got ", p);
  if (dim <= 0) throw MakeError("dropout: dimension must be positive, got ", dim);
}

SeqBatch Dropout::Forward(const SeqBatch& in, const ParamStore&, RunContext& ctx,
                          std::unique_ptr<LayerCache>* cache) const {
  AURIS_CHECK_EQ(in.Dim(), dim_) << "dropout input dimension";
  SeqBatch out = in;
  auto c = std::make_unique<DropoutCache>();
  c->active = ctx.training && p_ > 0.0f;
  if (c->active) {
    AURIS_CHECK(ctx.rng != nullptr) << "dropout in training needs RunContext::rng";
    c->mask.resize(in.data.rows(), in.data.cols());
    DropoutMask(c->mask, p_, *ctx.rng);
    out.data.array() *= c->mask.array();
  }
  out.ZeroPadding();
  if (cache) *cache = std::move(c);
  return out;
}

SeqBatch Dropout::Backward(const SeqBatch& grad_out, const ParamStore&, const LayerCache& cache,
                           Grads&) const {
  const auto& c = static_cast<const DropoutCache&>(cache);
  SeqBatch grad_in = grad_out;
  if (c.active) grad_in.data.array() *= c.mask.array();
  grad_in.ZeroPadding();
  return grad_in;
}

std::unique_ptr<StepState> Dropout::NewStepState(const ParamStore&) const { return std::make_unique<NoStepState>(); }

void Dropout::Step(const float* in, const ParamStore&, StepState&, float* out) const {
  std::copy(in, in + dim_, out);
}

}  // namespace auris::nn
