// Seeded random numbers. std::mt19937 is specified bit-exactly by the
// standard; the distributions here are written out so results do not depend
// on the standard library's distribution implementations.
#pragma once

#include <cmath>
#include <cstdint>
#include <random>

namespace auris {

class Rng {
 public:
  explicit Rng(std::uint64_t seed = 0) : engine_(static_cast<std::uint32_t>(seed ^ (seed >> 32))) {}

  // Uniform in [0, 1).
  double Uniform() { return (engine_() >> 5) * (1.0 / 134217728.0); }
  double Uniform(double lo, double hi) { return lo + (hi - lo) * Uniform(); }
  // Uniform integer in [0, n).
  std::uint32_t Index(std::uint32_t n) { return static_cast<std::uint32_t>(Uniform() * n); }
  // Standard normal (Box–Muller; the spare value is kept for the next call).
  double Gaussian() {
    if (has_spare_) {
      has_spare_ = false;
      return spare_;
    }
    double u1 = 0;
    while (u1 <= 0) u1 = Uniform();
    const double u2 = Uniform();
    const double r = std::sqrt(-2.0 * std::log(u1));
    spare_ = r * std::sin(2.0 * M_PI * u2);
    has_spare_ = true;
    return r * std::cos(2.0 * M_PI * u2);
  }
  std::uint32_t NextU32() { return engine_(); }

 private:
  std::mt19937 engine_;
  double spare_ = 0;
  bool has_spare_ = false;
};

}  // namespace auris
