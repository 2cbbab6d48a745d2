#include "auris/nn/layer_norm.h"

#include <cmath>

#include "auris/core/check.h"

namespace auris::nn {
namespace {

struct LayerNormCache final : LayerCache {
  Matrix xhat;      // normalised input, zero at padding
  Vector inv_std;   // per row
};

// Normalises one row: xhat = (x - mean) / sqrt(var + eps); returns 1/sqrt(var + eps).
// Sums in index order: Eigen's vectorised reductions sum in an order that
// depends on the row's address, so a stream's result depended on where its
// buffer lives (Step and StepMany differed on an AVX2 machine). Index order
// is also what the batch path's strided rows get.
template <typename In, typename Out>
float Normalize(const In& x, Out&& xhat, float eps) {
  const Eigen::Index n = x.size();
  float sum = x(0);
  for (Eigen::Index i = 1; i < n; ++i) sum += x(i);
  const float mean = sum / static_cast<float>(n);
  for (Eigen::Index i = 0; i < n; ++i) xhat(i) = x(i) - mean;
  float squares = xhat(0) * xhat(0);
  for (Eigen::Index i = 1; i < n; ++i) squares += xhat(i) * xhat(i);
  const float inv_std = 1.0f / std::sqrt(squares / static_cast<float>(n) + eps);
  for (Eigen::Index i = 0; i < n; ++i) xhat(i) *= inv_std;
  return inv_std;
}

}  // namespace

LayerNorm::LayerNorm(ParamStore& params, const std::string& prefix, int dim, float eps)
    : dim_(dim), eps_(eps) {
  if (dim <= 0) throw MakeError("layernorm: dimension must be positive, got ", dim);
  if (!(eps > 0.0f)) throw MakeError("layernorm: eps must be positive, got ", eps);
  weight_ = params.Add(prefix + "weight", {dim});
  params[weight_].value.setOnes();
  bias_ = params.Add(prefix + "bias", {dim});
}

SeqBatch LayerNorm::Forward(const SeqBatch& in, const ParamStore& params, RunContext&,
                            std::unique_ptr<LayerCache>* cache) const {
  AURIS_CHECK_EQ(in.Dim(), dim_) << "layernorm input dimension";
  SeqBatch out = SeqBatch::ZerosLike(in, dim_);
  auto c = std::make_unique<LayerNormCache>();
  c->xhat = Matrix::Zero(in.data.rows(), dim_);
  c->inv_std = Vector::Zero(in.data.rows());
  const auto w = params[weight_].value.row(0).array();
  const auto b = params[bias_].value.row(0).array();
  for (int t = 0; t < in.steps; ++t)
    for (int bi = 0; bi < in.batch; ++bi) {
      if (t >= in.lengths[bi]) continue;
      const Eigen::Index r = static_cast<Eigen::Index>(t) * in.batch + bi;
      c->inv_std(r) = Normalize(in.data.row(r), c->xhat.row(r), eps_);
      out.data.row(r) = c->xhat.row(r).array() * w + b;
    }
  if (cache) *cache = std::move(c);
  return out;
}

SeqBatch LayerNorm::Backward(const SeqBatch& grad_out, const ParamStore& params,
                             const LayerCache& cache, Grads& grads) const {
  const auto& c = static_cast<const LayerNormCache&>(cache);
  SeqBatch g = grad_out;
  g.ZeroPadding();
  grads.g[weight_].row(0) += (g.data.array() * c.xhat.array()).colwise().sum().matrix();
  grads.g[bias_].row(0) += g.data.colwise().sum();
  // dxhat = g * w; dx = inv_std * (dxhat - mean(dxhat) - xhat * mean(dxhat * xhat))
  SeqBatch grad_in = SeqBatch::ZerosLike(grad_out, dim_);
  const auto w = params[weight_].value.row(0).array();
  const float inv_n = 1.0f / static_cast<float>(dim_);
  Eigen::RowVectorXf dxhat(dim_);
  for (Eigen::Index r = 0; r < g.data.rows(); ++r) {
    if (c.inv_std(r) == 0.0f) continue;  // padding
    dxhat.array() = g.data.row(r).array() * w;
    const auto xhat = c.xhat.row(r).array();
    const float m1 = dxhat.sum() * inv_n, m2 = (dxhat.array() * xhat).sum() * inv_n;
    grad_in.data.row(r).array() = c.inv_std(r) * (dxhat.array() - m1 - xhat * m2);
  }
  return grad_in;
}

std::unique_ptr<StepState> LayerNorm::NewStepState(const ParamStore&) const { return std::make_unique<NoStepState>(); }

void LayerNorm::Step(const float* in, const ParamStore& params, StepState&, float* out) const {
  Eigen::Map<const RowVector> x(in, dim_);
  Eigen::Map<RowVector> y(out, dim_);
  Normalize(x, y, eps_);
  y.array() = y.array() * params[weight_].value.row(0).array() + params[bias_].value.row(0).array();
}

}  // namespace auris::nn
