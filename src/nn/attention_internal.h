// Shared pieces of the batch and step forms of MultiHeadAttention, so both
// apply the same mask, bias and softmax.
#pragma once

#include <algorithm>
#include <cmath>
#include <limits>

#include "auris/core/eigen.h"

namespace auris::nn::internal {

// One head's slice of a time-major batch matrix: rows t of sequence b.
using HeadMap = Eigen::Map<Matrix, 0, Eigen::OuterStride<>>;
using ConstHeadMap = Eigen::Map<const Matrix, 0, Eigen::OuterStride<>>;

// The keys visible to query t in a sequence of length `len`: [Lo(t), Hi(t)).
// Both ends are non-decreasing in t, which lets a block of queries share one
// key range.
struct KeyRange {
  bool causal = false;
  int window = 0;  // 0: unlimited left context
  int Lo(int t) const { return window > 0 ? std::max(0, t - window + 1) : 0; }
  int Hi(int t, int len) const { return causal ? std::min(t + 1, len) : len; }
};

// Numerically safe softmax of x[0..n): subtracts the maximum, so scores of
// any size give finite weights; n == 0 leaves nothing to do (no NaN).
// Eigen's vectorised exp: ~7x faster than std::exp per element, which
// matters in Step (H x window exponentials per frame).
inline void SoftmaxInPlace(float* x, int n) {
  if (n <= 0) return;
  Eigen::Map<Eigen::ArrayXf> a(x, n);
  const float m = a.maxCoeff();
  a = (a - m).exp();
  a *= 1.0f / a.sum();
}

// Attention probabilities of one head for queries [t0, t1) over the keys
// [lo, hi) they share: p is resized to (t1-t0) x (hi-lo); masked entries 0.
// `slope` > 0 adds the ALiBi bias -slope·|t - s|.
inline void BlockProbs(const ConstHeadMap& q, const ConstHeadMap& k, int t0, int t1, int lo, int hi,
                       const KeyRange& range, int len, float scale, float slope, Matrix& p) {
  p.noalias() = q.middleRows(t0, t1 - t0) * k.middleRows(lo, hi - lo).transpose();
  for (int t = t0; t < t1; ++t) {
    float* row = p.row(t - t0).data();
    const int a = range.Lo(t) - lo, e = range.Hi(t, len) - lo;  // visible part of the row
    std::fill(row, row + a, 0.0f);
    std::fill(row + std::max(a, e), row + (hi - lo), 0.0f);
    for (int j = a; j < e; ++j) {
      row[j] *= scale;
      if (slope > 0) row[j] -= slope * static_cast<float>(std::abs(t - (lo + j)));
    }
    SoftmaxInPlace(row + a, e - a);
  }
}

}  // namespace auris::nn::internal
