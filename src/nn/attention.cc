// MultiHeadAttention: options, parameters, and the whole-batch forward and
// backward. The step form is in attention_step.cc.
#include "auris/nn/attention.h"

#include <cmath>
#include <sstream>

#include "attention_internal.h"
#include "auris/core/check.h"

namespace auris::nn {
namespace {

using internal::ConstHeadMap;
using internal::HeadMap;

// Queries per block: one score GEMM per block keeps memory O(block x window).
constexpr int kQueryBlock = 64;

std::string JoinPrefix(const std::string& prefix, const char* name) {
  if (prefix.empty() || prefix.back() == '.') return prefix + name;
  return prefix + "." + name;
}

// Head `h` of sequence `b` in a time-major (T·B) x width matrix whose head
// slices start at column `col0`.
ConstHeadMap ConstHeadOf(const Matrix& m, int batch, int b, int col0, int len, int d) {
  return ConstHeadMap(m.data() + b * m.cols() + col0, len, d,
                      Eigen::OuterStride<>(static_cast<Eigen::Index>(batch) * m.cols()));
}
HeadMap HeadOf(Matrix& m, int batch, int b, int col0, int len, int d) {
  return HeadMap(m.data() + b * m.cols() + col0, len, d,
                 Eigen::OuterStride<>(static_cast<Eigen::Index>(batch) * m.cols()));
}

void CheckInput(const SeqBatch& in, int dim, const char* what) {
  AURIS_CHECK_EQ(in.Dim(), dim) << "attention " << what << " width";
  AURIS_CHECK_EQ(static_cast<int>(in.lengths.size()), in.batch) << "attention " << what << " lengths";
  AURIS_CHECK_EQ(in.data.rows(), static_cast<Eigen::Index>(in.steps) * in.batch)
      << "attention " << what << " rows";
  for (int len : in.lengths) AURIS_CHECK(len >= 0 && len <= in.steps) << "attention: length " << len;
}

}  // namespace

void AttentionOptions::Validate() const {
  if (embed_dim <= 0) throw MakeError("attention: embed_dim must be > 0, got ", embed_dim);
  if (num_heads <= 0) throw MakeError("attention: num_heads must be > 0, got ", num_heads);
  if (embed_dim % num_heads != 0)
    throw MakeError("attention: embed_dim (", embed_dim, ") must be a multiple of num_heads (",
                    num_heads, ")");
  if (window_frames < 0) throw MakeError("attention: window_frames must be >= 0, got ", window_frames);
  ParsePositional(positional);
}

std::string AttentionOptions::ToString() const {
  std::ostringstream os;
  os << "embed_dim=" << embed_dim << " num_heads=" << num_heads << " causal=" << (causal ? 1 : 0)
     << " window_frames=" << window_frames << " positional=" << positional;
  return os.str();
}

MultiHeadAttention::MultiHeadAttention(ParamStore& store, const std::string& prefix,
                                       const AttentionOptions& opts, Rng& init_rng)
    : opts_(opts) {
  opts_.Validate();
  if (ParsePositional(opts_.positional) == Positional::kAlibi) alibi_slopes_ = AlibiSlopes(opts_.num_heads);
  const std::int64_t e = opts_.embed_dim;
  w_in_ = store.Add(JoinPrefix(prefix, "in_proj_weight"), {3 * e, e});
  b_in_ = store.Add(JoinPrefix(prefix, "in_proj_bias"), {3 * e});
  w_out_ = store.Add(JoinPrefix(prefix, "out_proj.weight"), {e, e});
  b_out_ = store.Add(JoinPrefix(prefix, "out_proj.bias"), {e});
  InitUniform(store[w_in_].value, static_cast<float>(std::sqrt(6.0 / (4.0 * e))), init_rng);
  InitUniform(store[w_out_].value, static_cast<float>(1.0 / std::sqrt(static_cast<double>(e))), init_rng);
}

SeqBatch MultiHeadAttention::Forward(const SeqBatch& in, const ParamStore& params, RunContext&,
                                     std::unique_ptr<LayerCache>* cache) const {
  CheckInput(in, opts_.embed_dim, "input");
  const int e = opts_.embed_dim, heads = opts_.num_heads, d = e / heads, batch = in.batch;
  const float scale = 1.0f / std::sqrt(static_cast<float>(d));
  const internal::KeyRange range{opts_.causal, opts_.window_frames};

  Matrix qkv = in.data * params[w_in_].value.transpose();
  qkv.rowwise() += params[b_in_].value.row(0);
  Matrix context = Matrix::Zero(in.data.rows(), e);
  Matrix p;
  for (int b = 0; b < batch; ++b) {
    const int len = in.lengths[b];
    for (int h = 0; h < heads; ++h) {
      const ConstHeadMap q = ConstHeadOf(qkv, batch, b, h * d, len, d);
      const ConstHeadMap k = ConstHeadOf(qkv, batch, b, e + h * d, len, d);
      const ConstHeadMap v = ConstHeadOf(qkv, batch, b, 2 * e + h * d, len, d);
      HeadMap c = HeadOf(context, batch, b, h * d, len, d);
      const float slope = alibi_slopes_.empty() ? 0.0f : alibi_slopes_[h];
      for (int t0 = 0; t0 < len; t0 += kQueryBlock) {
        const int t1 = std::min(len, t0 + kQueryBlock);
        const int lo = range.Lo(t0), hi = range.Hi(t1 - 1, len);
        internal::BlockProbs(q, k, t0, t1, lo, hi, range, len, scale, slope, p);
        c.middleRows(t0, t1 - t0).noalias() = p * v.middleRows(lo, hi - lo);
      }
    }
  }

  SeqBatch out;
  out.steps = in.steps;
  out.batch = batch;
  out.lengths = in.lengths;
  out.data = context * params[w_out_].value.transpose();
  out.data.rowwise() += params[b_out_].value.row(0);
  for (int b = 0; b < batch; ++b)
    for (int t = in.lengths[b]; t < in.steps; ++t) out.Frame(t, b).setZero();

  if (cache) {
    auto c = std::make_unique<AttentionCache>();
    c->input = in;
    c->qkv = std::move(qkv);
    c->context = std::move(context);
    *cache = std::move(c);
  }
  return out;
}

SeqBatch MultiHeadAttention::Backward(const SeqBatch& grad_out, const ParamStore& params,
                                      const LayerCache& cache_base, Grads& grads) const {
  const auto* cache = dynamic_cast<const AttentionCache*>(&cache_base);
  AURIS_CHECK(cache != nullptr) << "attention Backward: cache is not from attention Forward";
  const SeqBatch& in = cache->input;
  CheckInput(grad_out, opts_.embed_dim, "gradient");
  AURIS_CHECK(grad_out.steps == in.steps && grad_out.batch == in.batch)
      << "attention Backward: gradient shape differs from the input's";
  const int e = opts_.embed_dim, heads = opts_.num_heads, d = e / heads, batch = in.batch;
  const float scale = 1.0f / std::sqrt(static_cast<float>(d));
  const internal::KeyRange range{opts_.causal, opts_.window_frames};

  // Padded outputs are constant zero: their upstream gradient goes nowhere.
  Matrix dy = grad_out.data;
  for (int b = 0; b < batch; ++b)
    for (int t = in.lengths[b]; t < in.steps; ++t) dy.row(static_cast<Eigen::Index>(t) * batch + b).setZero();

  grads.g[w_out_].noalias() += dy.transpose() * cache->context;
  grads.g[b_out_] += dy.colwise().sum();
  const Matrix dcontext = dy * params[w_out_].value;

  Matrix dqkv = Matrix::Zero(cache->qkv.rows(), 3 * e);
  Matrix p, dp;
  for (int b = 0; b < batch; ++b) {
    const int len = in.lengths[b];
    for (int h = 0; h < heads; ++h) {
      const ConstHeadMap q = ConstHeadOf(cache->qkv, batch, b, h * d, len, d);
      const ConstHeadMap k = ConstHeadOf(cache->qkv, batch, b, e + h * d, len, d);
      const ConstHeadMap v = ConstHeadOf(cache->qkv, batch, b, 2 * e + h * d, len, d);
      const ConstHeadMap dc = ConstHeadOf(dcontext, batch, b, h * d, len, d);
      HeadMap dq = HeadOf(dqkv, batch, b, h * d, len, d);
      HeadMap dk = HeadOf(dqkv, batch, b, e + h * d, len, d);
      HeadMap dv = HeadOf(dqkv, batch, b, 2 * e + h * d, len, d);
      const float slope = alibi_slopes_.empty() ? 0.0f : alibi_slopes_[h];
      for (int t0 = 0; t0 < len; t0 += kQueryBlock) {
        const int t1 = std::min(len, t0 + kQueryBlock), n = t1 - t0;
        const int lo = range.Lo(t0), hi = range.Hi(t1 - 1, len), m = hi - lo;
        internal::BlockProbs(q, k, t0, t1, lo, hi, range, len, scale, slope, p);
        dv.middleRows(lo, m).noalias() += p.transpose() * dc.middleRows(t0, n);
        dp.noalias() = dc.middleRows(t0, n) * v.middleRows(lo, m).transpose();
        // Softmax backward: dS = P ⊙ (dP − rowsum(P ⊙ dP)); masked P are 0.
        const Vector rowdot = (p.array() * dp.array()).rowwise().sum();
        dp = (p.array() * (dp.array().colwise() - rowdot.array())).matrix() * scale;
        dq.middleRows(t0, n).noalias() += dp * k.middleRows(lo, m);
        dk.middleRows(lo, m).noalias() += dp.transpose() * q.middleRows(t0, n);
      }
    }
  }

  grads.g[w_in_].noalias() += dqkv.transpose() * in.data;
  grads.g[b_in_] += dqkv.colwise().sum();
  SeqBatch dx;
  dx.steps = in.steps;
  dx.batch = batch;
  dx.lengths = in.lengths;
  dx.data = dqkv * params[w_in_].value;
  return dx;
}

Matrix MultiHeadAttention::AttentionWeights(const LayerCache& cache_base, int b, int head) const {
  const auto* cache = dynamic_cast<const AttentionCache*>(&cache_base);
  AURIS_CHECK(cache != nullptr) << "AttentionWeights: cache is not from attention Forward";
  const SeqBatch& in = cache->input;
  AURIS_CHECK(b >= 0 && b < in.batch) << "AttentionWeights: sequence " << b;
  AURIS_CHECK(head >= 0 && head < opts_.num_heads) << "AttentionWeights: head " << head;
  const int e = opts_.embed_dim, d = e / opts_.num_heads, len = in.lengths[b];
  const internal::KeyRange range{opts_.causal, opts_.window_frames};
  const ConstHeadMap q = ConstHeadOf(cache->qkv, in.batch, b, head * d, len, d);
  const ConstHeadMap k = ConstHeadOf(cache->qkv, in.batch, b, e + head * d, len, d);
  Matrix w;
  internal::BlockProbs(q, k, 0, len, 0, len, range, len, 1.0f / std::sqrt(static_cast<float>(d)),
                       alibi_slopes_.empty() ? 0.0f : alibi_slopes_[head], w);
  return w;
}

}  // namespace auris::nn
