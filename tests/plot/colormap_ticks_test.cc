// Colour map against the published viridis values, palette, and tick
// placement / labels against hand-computed values.
#include <doctest/doctest.h>

#include "auris/core/error.h"
#include "auris/plot/colormap.h"
#include "auris/plot/ticks.h"
#include "plot_support.h"

using namespace auris;
using namespace auris::test;

TEST_CASE("viridis: published end points and middle, lightness rises monotonically") {
  CHECK(plot::Viridis(0) == plot::Rgb{0x44, 0x01, 0x54});
  CHECK(plot::Viridis(0.5) == plot::Rgb{0x21, 0x91, 0x8c});
  CHECK(plot::Viridis(1) == plot::Rgb{0xfd, 0xe7, 0x25});
  CHECK(plot::Viridis(-3) == plot::Viridis(0));
  CHECK(plot::Viridis(7) == plot::Viridis(1));
  CHECK(plot::Viridis(std::nan("")) == plot::Viridis(0));
  // Halfway between the control points at 0 and 1/8 (#440154, #472d7b).
  CHECK(Near(plot::Viridis(1.0 / 16), {0x46, 0x17, 0x68}, 1));
  int previous = -1;
  for (int k = 0; k <= 200; ++k) {
    const int luma = Luma(plot::Viridis(k / 200.0));
    CHECK_MESSAGE(luma >= previous, "t=" << k / 200.0);
    previous = luma;
  }
  CHECK(Luma(plot::Viridis(1)) - Luma(plot::Viridis(0)) > 150);
}

TEST_CASE("series colours: ten distinct, then cycle") {
  for (int i = 0; i < 10; ++i)
    for (int j = i + 1; j < 10; ++j) CHECK(!(plot::SeriesColor(i) == plot::SeriesColor(j)));
  CHECK(plot::SeriesColor(0) == plot::Rgb{0x1f, 0x77, 0xb4});
  CHECK(plot::SeriesColor(10) == plot::SeriesColor(0));
}

TEST_CASE("ticks: nice steps inside the range, closest to the requested count") {
  auto t = plot::NiceTicks(0, 1.03, 5);
  CHECK(t.step == doctest::Approx(0.25));
  REQUIRE(t.values.size() == 5);
  CHECK(t.values[0] == 0);
  CHECK(t.values[4] == doctest::Approx(1.0));
  t = plot::NiceTicks(-3, 7, 5);  // step 2: -2..6 (5 ticks) beats 2.5 (4 ticks)
  CHECK(t.step == doctest::Approx(2));
  CHECK(t.values.front() == doctest::Approx(-2));
  CHECK(t.values.back() == doctest::Approx(6));
  t = plot::NiceTicks(0.013, 0.0171, 3);  // 0.002: 2 ticks (0.014, 0.016) beats 0.001: 5
  CHECK(t.step == doctest::Approx(0.002));
  REQUIRE(t.values.size() == 2);
  CHECK(t.values[0] == doctest::Approx(0.014));
  t = plot::NiceTicks(-0.2, 0.2, 5);
  for (double v : t.values) CHECK((v == 0 || std::abs(v) >= 0.05));  // exact zero, no -1e-17
  t = plot::NiceTicks(1, 30, 12, true);  // 2.5 would be closer; whole numbers: 2 or 5
  CHECK(t.step == doctest::Approx(2));
  CHECK(t.values.front() == 2);
  CHECK(plot::NiceTicks(1, 2, 8, true).step == 1);
  CHECK(plot::NiceTicks(3, 3, 5).values == std::vector<double>{3});
  CHECK_THROWS_AS(plot::NiceTicks(2, 1, 5), Error);
  CHECK_THROWS_AS(plot::NiceTicks(0, INFINITY, 5), Error);
}

TEST_CASE("tick labels: the decimals the step needs, no negative zero") {
  CHECK(plot::FormatTick(0.25, 0.25) == "0.25");
  CHECK(plot::FormatTick(1, 0.25) == "1.00");
  CHECK(plot::FormatTick(1.5, 0.5) == "1.5");
  CHECK(plot::FormatTick(300, 100) == "300");
  CHECK(plot::FormatTick(7.5, 2.5) == "7.5");
  CHECK(plot::FormatTick(-1e-18, 0.5) == "0.0");
  CHECK(plot::FormatTick(0.3, 0.1) == "0.3");
  CHECK(plot::FormatTick(2e-5, 1e-5) == "2e-05");
}
