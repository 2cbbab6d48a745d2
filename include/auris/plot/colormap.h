// Colours of the figures: the viridis colour map (perceptually uniform,
// monotonic lightness, readable in greyscale and by colour-blind viewers)
// and a qualitative palette for line series.
#pragma once

#include <cstdint>

namespace auris::plot {

struct Rgb {
  std::uint8_t r = 0, g = 0, b = 0;
  friend bool operator==(const Rgb&, const Rgb&) = default;
};

// t in [0, 1] (clamped; NaN gives the low end): dark purple (0) → blue →
// green → yellow (1). Piecewise-linear through 9 control points of the
// published viridis map (van der Walt & Smith, matplotlib 1.5) at t = k/8.
Rgb Viridis(double t);

// Colour of line series i: the 10 Tableau colours (matplotlib's tab10), cycled.
Rgb SeriesColor(int i);

}  // namespace auris::plot
