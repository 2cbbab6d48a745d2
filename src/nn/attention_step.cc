// MultiHeadAttention step form: one frame per call over a key/value cache.
// The cache is a ring buffer of the last window_frames frames (slot = frame
// index mod window); without a window it is a growing array (slot = frame
// index). Keys are visited in slot order, not time order — the softmax does
// not care, and the ALiBi bias uses each slot's age.
#include <algorithm>
#include <cmath>

#include "attention_internal.h"
#include "auris/core/check.h"
#include "auris/nn/attention.h"
#include "isa/kernels.h"

namespace auris::nn {
namespace {

constexpr int kInitialGrowCapacity = 64;

}  // namespace

std::unique_ptr<StepState> MultiHeadAttention::NewStepState(const ParamStore&) const {
  if (!opts_.causal)
    throw MakeError("attention: Step needs causal attention (", opts_.ToString(), ")");
  auto s = std::make_unique<AttentionState>();
  const int e = opts_.embed_dim;
  s->grow = opts_.window_frames == 0;
  const int capacity = s->grow ? kInitialGrowCapacity : opts_.window_frames;
  s->keys = Matrix::Zero(e, capacity);
  s->values = Matrix::Zero(capacity, e);
  s->qkv = Vector::Zero(3 * e);
  s->context = Vector::Zero(e);
  s->scores = Vector::Zero(capacity);
  return s;
}

void MultiHeadAttention::Step(const float* in, const ParamStore& params, StepState& state_base,
                              float* out) const noexcept {
  auto& s = static_cast<AttentionState&>(state_base);
  const int e = opts_.embed_dim, heads = opts_.num_heads, d = e / heads;
  const float scale = 1.0f / std::sqrt(static_cast<float>(d));

  const isa::Kernels& kernels = isa::Active();
  kernels.mat_vec(params[w_in_].value.data(), 3 * e, e, in, s.qkv.data());
  s.qkv += params[b_in_].value.row(0).transpose();

  if (s.grow && s.frames == s.Capacity()) {  // unbounded context: amortised doubling
    const int cap = 2 * s.Capacity();
    s.keys.conservativeResize(Eigen::NoChange, cap);
    s.values.conservativeResize(cap, Eigen::NoChange);
    s.scores.resize(cap);
  }
  const int cap = s.Capacity();
  const int slot = static_cast<int>(s.frames % cap);
  s.keys.col(slot) = s.qkv.segment(e, e);
  s.values.row(slot) = s.qkv.segment(2 * e, e).transpose();
  ++s.frames;
  const int n = static_cast<int>(std::min<long long>(s.frames, cap));

  for (int h = 0; h < heads; ++h) {
    auto scores = s.scores.head(n);
    scores.noalias() = s.keys.block(h * d, 0, d, n).transpose() * s.qkv.segment(h * d, d);
    scores *= scale;
    if (!alibi_slopes_.empty()) {
      const float slope = alibi_slopes_[h];
      for (int j = 0; j < n; ++j) {
        const int age = (slot - j + cap) % cap;  // 0 for the current frame
        scores[j] -= slope * static_cast<float>(age);
      }
    }
    internal::SoftmaxInPlace(scores.data(), n);
    s.context.segment(h * d, d).noalias() = s.values.topRows(n).middleCols(h * d, d).transpose() * scores;
  }

  kernels.mat_vec(params[w_out_].value.data(), e, e, s.context.data(), out);
  Eigen::Map<Vector>(out, e) += params[b_out_].value.row(0).transpose();
}

}  // namespace auris::nn
