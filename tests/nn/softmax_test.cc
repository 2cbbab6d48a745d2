// Softmax / LogSoftmax against hand-computed values.
#include <doctest/doctest.h>

#include <cmath>

#include "auris/nn/softmax.h"

using namespace auris;

TEST_CASE("Softmax and LogSoftmax of logits log 1, log 2, log 3 give 1/6, 2/6, 3/6") {
  const float x[3] = {0.0f, std::log(2.0f), std::log(3.0f)};
  float p[3], lp[3];
  nn::Softmax(x, 3, p);
  nn::LogSoftmax(x, 3, lp);
  for (int i = 0; i < 3; ++i) {
    CHECK(p[i] == doctest::Approx((i + 1) / 6.0).epsilon(1e-6));
    CHECK(lp[i] == doctest::Approx(std::log((i + 1) / 6.0)).epsilon(1e-6));
  }
}

TEST_CASE("Softmax: huge logits do not overflow, and it works in place") {
  float x[2] = {1000.0f, 998.75f};  // exp(1000) overflows a float; the difference is exact
  nn::LogSoftmax(x, 2, x);
  CHECK(x[0] == doctest::Approx(-std::log1p(std::exp(-1.25))).epsilon(1e-6));
  CHECK(x[1] == doctest::Approx(-1.25 - std::log1p(std::exp(-1.25))).epsilon(1e-6));
  float y[2] = {-1000.0f, 1000.0f};
  nn::Softmax(y, 2, y);
  CHECK(y[0] == 0.0f);
  CHECK(y[1] == 1.0f);
}
