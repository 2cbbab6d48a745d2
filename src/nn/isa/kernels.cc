// Compiled once per instruction set with -DAURIS_ISA_NS=<name> and that
// set's -march (src/nn/CMakeLists.txt, auris_isa_kernels): see kernels.h for
// what may be included here.
#include "kernels.h"

#include <cstdint>
#if defined(__SSE4_1__)
#include <immintrin.h>  // always-inline intrinsics only: no symbol of their own
#endif

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

// kLanes weights as floats: floats as they are, int8 sign-extended and
// converted (exact). GCC's generic vector conversion of 8-bit lanes is
// element by element, hence the intrinsics.
inline Lanes LoadW(const float* p) noexcept { return Load(p); }
inline Lanes LoadW(const std::int8_t* p) noexcept {
#if defined(__AVX512F__)
  return (Lanes)_mm512_cvtepi32_ps(_mm512_cvtepi8_epi32(_mm_loadu_si128(reinterpret_cast<const __m128i*>(p))));
#elif defined(__AVX2__)
  return (Lanes)_mm256_cvtepi32_ps(_mm256_cvtepi8_epi32(_mm_loadl_epi64(reinterpret_cast<const __m128i*>(p))));
#elif defined(__SSE4_1__)
  std::int32_t four;
  __builtin_memcpy(&four, p, sizeof four);
  return (Lanes)_mm_cvtepi32_ps(_mm_cvtepi8_epi32(_mm_cvtsi32_si128(four)));
#else
  Lanes v;
  for (int j = 0; j < kLanes; ++j) v[j] = p[j];
  return v;
#endif
}

// A row sum times its int8 scale, rounded as a product: kept from being
// fused into the following add, which GCC would do in some template
// instantiations and not others (a vector's result would then depend on
// how many others it is computed with).
template <class T>
inline T Scaled(T sum, T scale) noexcept {
  T product = sum * scale;
#if defined(__x86_64__) || defined(__i386__)
  __asm__("" : "+x"(product));
#endif
  return product;
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
// W: float, or int8 with per-row scales applied to the sums.
template <int N, int R, class W>
void Block(const W* wt, const float* scale, long rows, long cols, long r, const float* const* x,
           float* const* y) noexcept {
  Lanes acc[N][R] = {};
  for (long c = 0; c < cols; ++c) {
    const W* w = wt + c * rows + r;
    Lanes wr[R];
    for (int k = 0; k < R; ++k) wr[k] = LoadW(w + k * kLanes);
    for (int i = 0; i < N; ++i)
      for (int k = 0; k < R; ++k) acc[i][k] += wr[k] * x[i][c];
  }
  for (int k = 0; k < R; ++k)
    for (int i = 0; i < N; ++i)
      AddTo(y[i] + r + k * kLanes, scale == nullptr ? acc[i][k] : Scaled(acc[i][k], Load(scale + r + k * kLanes)));
}

template <int N, class W>
void Vectors(const W* wt, const float* scale, long rows, long cols, const float* const* x, float* const* y) noexcept {
  // Few vectors leave registers for more rows per pass (the order of
  // summation per row is the same either way).
  constexpr int kRegs = N <= 2 ? 4 : 2;
  constexpr long kBlock = kRegs * kLanes;
  long r = 0;
  for (; r + kBlock <= rows; r += kBlock) Block<N, kRegs>(wt, scale, rows, cols, r, x, y);
  for (; r + kLanes <= rows; r += kLanes) Block<N, 1>(wt, scale, rows, cols, r, x, y);
  for (; r < rows; ++r)  // the rows left over, in the same order of summation
    for (int i = 0; i < N; ++i) {
      float acc = 0;
      for (long c = 0; c < cols; ++c) acc += static_cast<float>(wt[c * rows + r]) * x[i][c];
      y[i][r] += scale == nullptr ? acc : Scaled(acc, scale[r]);
    }
}

template <class W>
void ManyVectors(const W* wt, const float* scale, long rows, long cols, const float* const* x, float* const* y,
                 long n) noexcept {
  for (long at = 0; at < n; at += kMaxVectors) {
    const long left = n - at;
    const float* const* xi = x + at;
    float* const* yi = y + at;
    switch (left < kMaxVectors ? left : kMaxVectors) {
      case 1: Vectors<1>(wt, scale, rows, cols, xi, yi); break;
      case 2: Vectors<2>(wt, scale, rows, cols, xi, yi); break;
      case 3: Vectors<3>(wt, scale, rows, cols, xi, yi); break;
      case 4: Vectors<4>(wt, scale, rows, cols, xi, yi); break;
      default: Vectors<kMaxVectors>(wt, scale, rows, cols, xi, yi); break;
    }
  }
}

void AddMatVecMany(const float* wt, long rows, long cols, const float* const* x, float* const* y,
                   long n) noexcept {
  ManyVectors(wt, nullptr, rows, cols, x, y, n);
}

void AddMatVecManyInt8(const std::int8_t* qt, const float* scale, long rows, long cols, const float* const* x,
                       float* const* y, long n) noexcept {
  ManyVectors(qt, scale, rows, cols, x, y, n);
}

// R rows at once: x is read once per R rows; one accumulator register per
// row, the column tail in scalars, each row summed in the same order.
template <int R, class W>
void Rows(const W* w, const float* scale, long r, long cols, const float* x, float* y) noexcept {
  Lanes acc[R] = {};
  long c = 0;
  for (; c + kLanes <= cols; c += kLanes) {
    const Lanes xv = Load(x + c);
    for (int k = 0; k < R; ++k) acc[k] += LoadW(w + k * cols + c) * xv;
  }
  for (int k = 0; k < R; ++k) {
    float tail = 0;
    for (long t = c; t < cols; ++t) tail += static_cast<float>(w[k * cols + t]) * x[t];
    const float sum = LaneSum(acc[k]) + tail;
    y[k] = scale == nullptr ? sum : Scaled(sum, scale[r + k]);
  }
}

template <class W>
void RowsAll(const W* w, const float* scale, long rows, long cols, const float* x, float* y) noexcept {
  constexpr int kRows = 4;
  long r = 0;
  for (; r + kRows <= rows; r += kRows) Rows<kRows>(w + r * cols, scale, r, cols, x, y + r);
  for (; r < rows; ++r) Rows<1>(w + r * cols, scale, r, cols, x, y + r);
}

void MatVec(const float* w, long rows, long cols, const float* x, float* y) noexcept {
  RowsAll(w, nullptr, rows, cols, x, y);
}

void MatVecInt8(const std::int8_t* q, const float* scale, long rows, long cols, const float* x, float* y) noexcept {
  RowsAll(q, scale, rows, cols, x, y);
}

}  // namespace

extern const Kernels kKernels = {&AddMatVecMany, &MatVec, &AddMatVecManyInt8, &MatVecInt8};

}  // namespace auris::nn::isa::AURIS_ISA_NS
