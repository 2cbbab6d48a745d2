#include "auris/nn/attention_pooling.h"

#include <cmath>
#include <sstream>

#include "attention_internal.h"
#include "auris/core/check.h"

namespace auris::nn {
namespace {

using internal::ConstHeadMap;
using internal::HeadMap;

// Rows t < len of sequence b in a time-major (T·B) x cols matrix.
ConstHeadMap ConstSeqOf(const Matrix& m, int batch, int b, int len) {
  return ConstHeadMap(m.data() + b * m.cols(), len, m.cols(),
                      Eigen::OuterStride<>(static_cast<Eigen::Index>(batch) * m.cols()));
}
HeadMap SeqOf(Matrix& m, int batch, int b, int len) {
  return HeadMap(m.data() + b * m.cols(), len, m.cols(),
                 Eigen::OuterStride<>(static_cast<Eigen::Index>(batch) * m.cols()));
}

// Row b of a B x (Q·E) matrix viewed as Q x E.
using QueryView = Eigen::Map<Matrix>;
using ConstQueryView = Eigen::Map<const Matrix>;

}  // namespace

void AttentionPoolingOptions::Validate() const {
  if (embed_dim <= 0) throw MakeError("attention_pooling: embed_dim must be > 0, got ", embed_dim);
  if (num_queries <= 0) throw MakeError("attention_pooling: num_queries must be > 0, got ", num_queries);
}

std::string AttentionPoolingOptions::ToString() const {
  std::ostringstream os;
  os << "embed_dim=" << embed_dim << " num_queries=" << num_queries;
  return os.str();
}

AttentionPooling::AttentionPooling(ParamStore& store, const std::string& prefix,
                                   const AttentionPoolingOptions& opts, Rng& init_rng)
    : opts_(opts) {
  opts_.Validate();
  const std::string name = prefix.empty() || prefix.back() == '.' ? prefix + "query" : prefix + ".query";
  query_ = store.Add(name, {opts_.num_queries, opts_.embed_dim});
  InitUniform(store[query_].value, static_cast<float>(1.0 / std::sqrt(double(opts_.embed_dim))), init_rng);
}

SeqBatch AttentionPooling::Forward(const SeqBatch& in, const ParamStore& params, RunContext&,
                                   std::unique_ptr<LayerCache>* cache) const {
  const int e = opts_.embed_dim, nq = opts_.num_queries, batch = in.batch;
  AURIS_CHECK_EQ(in.Dim(), e) << "attention_pooling input width";
  AURIS_CHECK_EQ(static_cast<int>(in.lengths.size()), batch) << "attention_pooling lengths";
  AURIS_CHECK_EQ(in.data.rows(), static_cast<Eigen::Index>(in.steps) * batch) << "attention_pooling rows";
  const float scale = 1.0f / std::sqrt(static_cast<float>(e));
  const Matrix& query = params[query_].value;

  Matrix weights = Matrix::Zero(in.data.rows(), nq);
  SeqBatch out;
  out.steps = 1;
  out.batch = batch;
  out.data = Matrix::Zero(batch, static_cast<Eigen::Index>(nq) * e);
  Vector column;
  for (int b = 0; b < batch; ++b) {
    const int len = in.lengths[b];
    AURIS_CHECK(len >= 0 && len <= in.steps) << "attention_pooling: length " << len;
    out.lengths.push_back(len > 0 ? 1 : 0);
    if (len == 0) continue;
    const ConstHeadMap x = ConstSeqOf(in.data, batch, b, len);
    HeadMap w = SeqOf(weights, batch, b, len);
    w.noalias() = x * query.transpose();
    for (int j = 0; j < nq; ++j) {
      column = w.col(j) * scale;
      internal::SoftmaxInPlace(column.data(), len);
      w.col(j) = column;
    }
    QueryView(out.data.row(b).data(), nq, e).noalias() = w.transpose() * x;
  }

  if (cache) {
    auto c = std::make_unique<AttentionPoolingCache>();
    c->input = in;
    c->weights = std::move(weights);
    c->pooled = out.data;
    *cache = std::move(c);
  }
  return out;
}

SeqBatch AttentionPooling::Backward(const SeqBatch& grad_out, const ParamStore& params,
                                    const LayerCache& cache_base, Grads& grads) const {
  const auto* cache = dynamic_cast<const AttentionPoolingCache*>(&cache_base);
  AURIS_CHECK(cache != nullptr) << "attention_pooling Backward: cache is not from its Forward";
  const SeqBatch& in = cache->input;
  const int e = opts_.embed_dim, nq = opts_.num_queries, batch = in.batch;
  AURIS_CHECK(grad_out.steps == 1 && grad_out.batch == batch && grad_out.Dim() == nq * e)
      << "attention_pooling Backward: gradient must be " << batch << " x " << nq * e << " with steps 1";
  const float scale = 1.0f / std::sqrt(static_cast<float>(e));
  const Matrix& query = params[query_].value;

  SeqBatch dx = SeqBatch::ZerosLike(in, e);
  Matrix dw, ds;
  for (int b = 0; b < batch; ++b) {
    const int len = in.lengths[b];
    if (len == 0) continue;  // zero output row, constant: no gradient
    const ConstHeadMap x = ConstSeqOf(in.data, batch, b, len);
    const ConstHeadMap w = ConstSeqOf(cache->weights, batch, b, len);
    const ConstQueryView g(grad_out.data.row(b).data(), nq, e);
    const ConstQueryView o(cache->pooled.row(b).data(), nq, e);
    // out_j = Σ_t w_j(t) x_t;  dw_j(t) = g_j·x_t;  softmax backward:
    // ds_j(t) = w_j(t) (dw_j(t) − Σ_t' w_j(t') dw_j(t')) = w_j(t) (dw_j(t) − g_j·o_j).
    dw.noalias() = x * g.transpose();  // len x Q
    const RowVector go = (g.array() * o.array()).rowwise().sum().transpose();
    ds = (w.array() * (dw.rowwise() - go).array()).matrix() * scale;
    HeadMap dxb = SeqOf(dx.data, batch, b, len);
    dxb.noalias() = w * g;
    dxb.noalias() += ds * query;
    grads.g[query_].noalias() += ds.transpose() * x;
  }
  return dx;
}

std::vector<Matrix> AttentionPooling::AttentionWeights(const LayerCache& cache_base) const {
  const auto* cache = dynamic_cast<const AttentionPoolingCache*>(&cache_base);
  AURIS_CHECK(cache != nullptr) << "AttentionWeights: cache is not from attention_pooling Forward";
  const SeqBatch& in = cache->input;
  std::vector<Matrix> out;
  for (int b = 0; b < in.batch; ++b) out.emplace_back(ConstSeqOf(cache->weights, in.batch, b, in.lengths[b]));
  return out;
}

std::unique_ptr<StepState> AttentionPooling::NewStepState(const ParamStore&) const {
  auto s = std::make_unique<AttentionPoolingState>();
  s->max_score = Vector::Zero(opts_.num_queries);
  s->sum = Vector::Zero(opts_.num_queries);
  s->weighted = Matrix::Zero(opts_.num_queries, opts_.embed_dim);
  s->scores = Vector::Zero(opts_.num_queries);
  return s;
}

void AttentionPooling::Step(const float* in, const ParamStore& params, StepState& state_base,
                            float* out) const noexcept {
  auto& s = static_cast<AttentionPoolingState&>(state_base);
  const int e = opts_.embed_dim;
  const Eigen::Map<const RowVector> x(in, e);
  s.scores.noalias() = params[query_].value * x.transpose();
  s.scores *= 1.0f / std::sqrt(static_cast<float>(e));
  for (int j = 0; j < opts_.num_queries; ++j) {
    const float score = s.scores[j];
    if (s.frames == 0 || score > s.max_score[j]) {
      // New maximum: rescale what was summed relative to the old one.
      const float r = s.frames == 0 ? 0.0f : std::exp(s.max_score[j] - score);
      s.sum[j] = s.sum[j] * r + 1.0f;
      s.weighted.row(j) = s.weighted.row(j) * r + x;
      s.max_score[j] = score;
    } else {
      const float w = std::exp(score - s.max_score[j]);
      s.sum[j] += w;
      s.weighted.row(j) += w * x;
    }
  }
  ++s.frames;
  Current(s, out);
}

void AttentionPooling::Current(const StepState& state_base, float* out) const noexcept {
  const auto& s = static_cast<const AttentionPoolingState&>(state_base);
  QueryView o(out, opts_.num_queries, opts_.embed_dim);
  if (s.frames == 0) {
    o.setZero();
    return;
  }
  o = s.weighted.array().colwise() / s.sum.array();
}

}  // namespace auris::nn
