// Axis ticks at "nice" values (1, 2, 2.5 or 5 times a power of ten) and
// their labels.
#pragma once

#include <string>
#include <vector>

namespace auris::plot {

struct Ticks {
  std::vector<double> values;  // ascending, all within [lo, hi]
  double step = 0;
};

// About `target` ticks (>= 2) inside [lo, hi]. lo == hi gives one tick.
// `integer`: whole-number steps only (counts, epochs). Throws auris::Error
// unless lo <= hi and both are finite.
Ticks NiceTicks(double lo, double hi, int target, bool integer = false);

// `value` with as many decimals as `step` needs ("0.25", "1.5", "300"),
// -0 printed as 0; very large or small steps use exponent form ("1e-05").
std::string FormatTick(double value, double step);

}  // namespace auris::plot
