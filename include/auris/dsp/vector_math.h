// Small building blocks for the per-frame loops that GCC vectorises without
// -ffast-math.
//
// VectorLog: natural log that GCC vectorises (std::log on float arrays is a
// scalar libm call per element without -ffast-math).
// Accurate to a few float ulps for positive normal x (features are compared
// against float64 torchaudio at 1e-3 absolute); inf and NaN pass through.
// Denormal, zero and negative inputs are not supported: callers floor first.
#pragma once

#include <bit>
#include <cstdint>
#include <type_traits>

namespace auris::dsp {

// Sum of acc[0..N) (N a power of two) by halving: log2(N) vector adds
// instead of a serial chain of N - 1 scalar adds. Destroys acc.
template <int N, class T>
[[gnu::always_inline]] inline T LaneSum(T* acc) noexcept {
  static_assert(N > 0 && (N & (N - 1)) == 0, "N must be a power of two");
  if constexpr (N == 1) {
    return acc[0];
  } else {
    for (int j = 0; j < N / 2; ++j) acc[j] += acc[j + N / 2];
    return LaneSum<N / 2>(acc);
  }
}

// Native-width vectors (GCC/Clang vector extensions) for the loops the
// auto-vectoriser turns into poor code (short reductions, shuffles). The
// width is the target's: GCC lowers a wider type piecewise through memory
// (several times slower than plain loops). Every lane is an ordinary IEEE operation, so results do not depend
// on the width except through the order of a reduction's partial sums.
#if defined(__AVX512F__)
inline constexpr int kFloatLanes = 16;
#elif defined(__AVX__)
inline constexpr int kFloatLanes = 8;
#else
inline constexpr int kFloatLanes = 4;  // SSE2, NEON
#endif
using FloatVec = float __attribute__((vector_size(4 * kFloatLanes)));

// Unaligned loads and stores of x[0, width).
template <class Vec = FloatVec>
[[gnu::always_inline]] inline Vec LoadVec(const float* x) noexcept {
  Vec v;
  __builtin_memcpy(&v, x, sizeof v);
  return v;
}
[[gnu::always_inline]] inline void StoreVec(float* x, FloatVec v) noexcept {
  __builtin_memcpy(x, &v, sizeof v);
}

// Sum of a vector's lanes by halving (a fixed order: deterministic).
template <class Vec>
[[gnu::always_inline]] inline auto VecLaneSum(Vec v) noexcept {
  constexpr int kN = sizeof(Vec) / sizeof(v[0]);
  std::remove_cvref_t<decltype(v[0])> lanes[kN];
  __builtin_memcpy(lanes, &v, sizeof lanes);
  return LaneSum<kN>(lanes);
}

[[gnu::always_inline]] inline float VectorLog(float x) noexcept {
  // x = 2^k * m with m in [sqrt(1/2), sqrt(2)): shift the bits so that the
  // exponent field rounds at sqrt(2) instead of 2.
  constexpr std::uint32_t kSqrtHalf = 0x3f3504f3;  // bits of sqrt(1/2)
  const std::uint32_t x_bits = std::bit_cast<std::uint32_t>(x);
  const std::uint32_t bits = x_bits - kSqrtHalf;
  const auto k = static_cast<float>(static_cast<std::int32_t>(bits) >> 23);
  const float m = std::bit_cast<float>((bits & 0x007fffffu) + kSqrtHalf);
  // log(m) = 2 atanh(s), s = (m - 1) / (m + 1), |s| <= 0.172: the series to
  // s^9 leaves < 1e-9.
  const float s = (m - 1.0f) / (m + 1.0f);
  const float s2 = s * s;
  const float series =
      2.0f + s2 * (2.0f / 3 + s2 * (2.0f / 5 + s2 * (2.0f / 7 + s2 * (2.0f / 9))));
  const float result = k * 0.693147180559945309f + s * series;
  // +inf and NaN returned as is; selected on the bits, since a float compare
  // would keep GCC from vectorising (it may trap).
  const std::uint32_t keep_x = x_bits >= 0x7f800000u ? ~0u : 0u;
  return std::bit_cast<float>((std::bit_cast<std::uint32_t>(result) & ~keep_x) |
                              (x_bits & keep_x));
}

}  // namespace auris::dsp
