#include "auris/nn/mat_vec_many.h"

#include <algorithm>
#include <cstring>

#include "auris/core/check.h"

namespace auris::nn {
namespace {

// One vector register's worth of floats (GCC vector extension: the compiler
// maps it to AVX-512, AVX or SSE registers as the target has them).
#ifdef __AVX512F__
constexpr int kLanes = 16;
#else
constexpr int kLanes = 8;
#endif
typedef float Lanes __attribute__((vector_size(kLanes * sizeof(float))));
constexpr int kMaxVectors = 5;  // 2 x 5 accumulators + 2 weights fit 16 registers

Lanes Load(const float* p) {
  Lanes v;
  std::memcpy(&v, p, sizeof v);
  return v;
}

void AddTo(float* p, Lanes v) {
  Lanes s = Load(p);
  s += v;
  std::memcpy(p, &s, sizeof s);
}

// Rows r .. r + R * kLanes - 1 for N vectors: R registers of rows per vector.
template <int N, int R>
void Block(const float* wt, long rows, long cols, long r, const float* const* x, float* const* y) {
  Lanes acc[N][R] = {};
  for (long c = 0; c < cols; ++c) {
    const float* w = wt + c * rows + r;
    Lanes wr[R];
    for (int k = 0; k < R; ++k) wr[k] = Load(w + k * kLanes);
    for (int i = 0; i < N; ++i)
      for (int k = 0; k < R; ++k) acc[i][k] += wr[k] * x[i][c];
  }
  for (int i = 0; i < N; ++i)
    for (int k = 0; k < R; ++k) AddTo(y[i] + r + k * kLanes, acc[i][k]);
}

template <int N>
void Vectors(const float* wt, long rows, long cols, const float* const* x, float* const* y) {
  // Few vectors leave registers for more rows per pass (the order of
  // summation per row is the same either way).
  constexpr int kRegs = N <= 2 ? 4 : 2;
  constexpr long kBlock = kRegs * kLanes;
  long r = 0;
  for (; r + kBlock <= rows; r += kBlock) Block<N, kRegs>(wt, rows, cols, r, x, y);
  for (; r + kLanes <= rows; r += kLanes) Block<N, 1>(wt, rows, cols, r, x, y);
  for (; r < rows; ++r)  // the rows left over, in the same order of summation
    for (int i = 0; i < N; ++i) {
      float acc = 0;
      for (long c = 0; c < cols; ++c) acc += wt[c * rows + r] * x[i][c];
      y[i][r] += acc;
    }
}

}  // namespace

void AddMatVecMany(const Matrix& wt, std::span<const float* const> x, std::span<float* const> y) {
  AURIS_CHECK(x.size() == y.size());
  const long rows = wt.cols(), cols = wt.rows();
  for (std::size_t at = 0; at < x.size(); at += kMaxVectors) {
    const auto n = std::min<std::size_t>(kMaxVectors, x.size() - at);
    const float* const* xi = x.data() + at;
    float* const* yi = y.data() + at;
    switch (n) {
      case 1: Vectors<1>(wt.data(), rows, cols, xi, yi); break;
      case 2: Vectors<2>(wt.data(), rows, cols, xi, yi); break;
      case 3: Vectors<3>(wt.data(), rows, cols, xi, yi); break;
      case 4: Vectors<4>(wt.data(), rows, cols, xi, yi); break;
      default: Vectors<kMaxVectors>(wt.data(), rows, cols, xi, yi); break;
    }
  }
}

}  // namespace auris::nn
