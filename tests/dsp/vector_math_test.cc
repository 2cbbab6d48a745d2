// VectorLog against std::log in double over every float exponent; LaneSum.
#include <cfloat>
#include <cmath>
#include <limits>

#include "auris/core/rng.h"
#include "auris/dsp/vector_math.h"
#include "test_support.h"
#include "tolerances.h"

namespace auris::dsp {
namespace {

TEST_CASE("VectorLog matches std::log on positive normal floats") {
  Rng rng(7);
  double worst = 0;
  for (int e = -126; e <= 127; ++e) {
    for (int i = 0; i < 200; ++i) {
      // Mantissas spread over [1, 2), including both ends and sqrt(2).
      const double mantissa = i == 0 ? 1.0 : i == 1 ? std::nextafter(2.0f, 1.0f)
                              : i == 2 ? M_SQRT2 : 1.0 + rng.Uniform();
      const float m = std::min(static_cast<float>(mantissa), std::nextafter(2.0f, 1.0f));
      const float x = std::ldexp(m, e);
      const double exact = std::log(static_cast<double>(x));
      const double error = std::abs(VectorLog(x) - exact) / std::max(1.0, std::abs(exact));
      worst = std::max(worst, error);
    }
  }
  INFO("worst scaled error " << worst);
  CHECK(worst <= test::tol::kVectorLogScaled);
  CHECK(VectorLog(1.0f) == 0.0f);
  CHECK(VectorLog(FLT_MAX) == doctest::Approx(std::log(FLT_MAX)).epsilon(1e-7));
}

TEST_CASE("VectorLog passes inf and NaN through") {
  CHECK(VectorLog(std::numeric_limits<float>::infinity()) ==
        std::numeric_limits<float>::infinity());
  CHECK(std::isnan(VectorLog(std::numeric_limits<float>::quiet_NaN())));
}

TEST_CASE("LaneSum adds every lane") {
  double acc[16];
  for (int j = 0; j < 16; ++j) acc[j] = 1 << j;
  CHECK(LaneSum<16>(acc) == 65535.0);
  float one[1] = {2.5f};
  CHECK(LaneSum<1>(one) == 2.5f);
}

}  // namespace
}  // namespace auris::dsp
