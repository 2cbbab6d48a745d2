// Compiled once per instruction set with -DAURIS_ISA_NS=<name> and that
// set's -march (src/nn/CMakeLists.txt, auris_isa_kernels): see kernels.h for
// what may be included here.
#include "kernels.h"

#ifndef AURIS_ISA_NS
#error "compile with -DAURIS_ISA_NS=baseline|avx2|avx512"
#endif

namespace auris::nn::isa::AURIS_ISA_NS {
namespace {

// One register of floats (GCC vector extension).
#if defined(__AVX512F__)
constexpr int kLanes = 16;
#elif defined(__AVX__)
constexpr int kLanes = 8;
#else
constexpr int kLanes = 4;
#endif
typedef float Lanes __attribute__((vector_size(kLanes * sizeof(float))));
constexpr long kMaxVectors = 5;  // 2 x 5 accumulators + 2 weights fit 16 registers

inline Lanes Load(const float* p) noexcept {
  Lanes v;
  __builtin_memcpy(&v, p, sizeof v);
  return v;
}

inline void AddTo(float* p, Lanes v) noexcept {
  Lanes s = Load(p);
  s += v;
  __builtin_memcpy(p, &s, sizeof s);
}

// Sum of the lanes by halving: a fixed order.
inline float LaneSum(Lanes v) noexcept {
  float a[kLanes];
  __builtin_memcpy(a, &v, sizeof a);
  for (int width = kLanes / 2; width > 0; width /= 2)
    for (int j = 0; j < width; ++j) a[j] += a[j + width];
  return a[0];
}

// Rows r .. r + R * kLanes - 1 for N vectors: R registers of rows per vector.
template <int N, int R>
void Block(const float* wt, long rows, long cols, long r, const float* const* x, float* const* y) noexcept {
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
void Vectors(const float* wt, long rows, long cols, const float* const* x, float* const* y) noexcept {
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

void AddMatVecMany(const float* wt, long rows, long cols, const float* const* x, float* const* y,
                   long n) noexcept {
  for (long at = 0; at < n; at += kMaxVectors) {
    const long left = n - at;
    const float* const* xi = x + at;
    float* const* yi = y + at;
    switch (left < kMaxVectors ? left : kMaxVectors) {
      case 1: Vectors<1>(wt, rows, cols, xi, yi); break;
      case 2: Vectors<2>(wt, rows, cols, xi, yi); break;
      case 3: Vectors<3>(wt, rows, cols, xi, yi); break;
      case 4: Vectors<4>(wt, rows, cols, xi, yi); break;
      default: Vectors<kMaxVectors>(wt, rows, cols, xi, yi); break;
    }
  }
}

// R rows at once: x is read once per R rows; one accumulator register per
// row, the column tail in scalars, each row summed in the same order.
template <int R>
void Rows(const float* w, long cols, const float* x, float* y) noexcept {
  Lanes acc[R] = {};
  long c = 0;
  for (; c + kLanes <= cols; c += kLanes) {
    const Lanes xv = Load(x + c);
    for (int k = 0; k < R; ++k) acc[k] += Load(w + k * cols + c) * xv;
  }
  for (int k = 0; k < R; ++k) {
    float tail = 0;
    for (long t = c; t < cols; ++t) tail += w[k * cols + t] * x[t];
    y[k] = LaneSum(acc[k]) + tail;
  }
}

void MatVec(const float* w, long rows, long cols, const float* x, float* y) noexcept {
  constexpr int kRows = 4;
  long r = 0;
  for (; r + kRows <= rows; r += kRows) Rows<kRows>(w + r * cols, cols, x, y + r);
  for (; r < rows; ++r) Rows<1>(w + r * cols, cols, x, y + r);
}

}  // namespace

extern const Kernels kKernels = {&AddMatVecMany, &MatVec};

}  // namespace auris::nn::isa::AURIS_ISA_NS
