// Random T x C log-softmax rows (seeded), the input of the CTC decoding tests.
#pragma once

#include <cmath>
#include <cstdint>

#include "auris/core/eigen.h"
#include "auris/core/rng.h"

namespace auris::decode::test {

inline Matrix RandomLogProbs(int T, int C, std::uint64_t seed) {
  Rng rng(seed);
  Matrix m(T, C);
  for (int t = 0; t < T; ++t) {
    double z = 0;
    for (int c = 0; c < C; ++c) z += std::exp(m(t, c) = static_cast<float>(2 * rng.Gaussian()));
    for (int c = 0; c < C; ++c) m(t, c) -= static_cast<float>(std::log(z));
  }
  return m;
}

}  // namespace auris::decode::test
