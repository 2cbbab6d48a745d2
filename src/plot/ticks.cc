#include "auris/plot/ticks.h"

#include <cmath>
#include <cstdio>
#include <cstdlib>

#include "auris/core/error.h"

namespace auris::plot {
namespace {

long long TickCount(double lo, double hi, double step) {
  const double eps = 1e-9;
  return static_cast<long long>(std::floor(hi / step + eps) - std::ceil(lo / step - eps)) + 1;
}

}  // namespace

Ticks NiceTicks(double lo, double hi, int target, bool integer) {
  if (!std::isfinite(lo) || !std::isfinite(hi) || lo > hi)
    throw MakeError("axis range [", lo, ", ", hi, "]: expected finite lo <= hi");
  if (target < 2) target = 2;
  Ticks t;
  if (lo == hi) {
    t.values = {lo};
    t.step = std::abs(lo) > 0 ? std::abs(lo) : 1;
    return t;
  }
  // Candidates m * 10^e around range / target; the one whose tick count is
  // closest to the target wins, ties to the larger step.
  const double rough = (hi - lo) / target;
  const int e0 = static_cast<int>(std::floor(std::log10(rough)));
  double best_step = 0;
  long long best_miss = -1;
  for (int e = e0 - 1; e <= e0 + 1; ++e) {
    for (double m : {1.0, 2.0, 2.5, 5.0}) {
      const double step = m * std::pow(10.0, e);
      if (integer && (step < 1 || m == 2.5)) continue;
      const long long n = TickCount(lo, hi, step);
      if (n < 2) continue;
      const long long miss = std::llabs(n - target);
      if (best_miss < 0 || miss < best_miss || (miss == best_miss && step > best_step)) {
        best_miss = miss;
        best_step = step;
      }
    }
  }
  if (best_miss < 0) best_step = integer ? std::max(1.0, std::ceil(hi - lo)) : hi - lo;  // too narrow a range
  t.step = best_step;
  const double eps = 1e-9;
  const long long first = static_cast<long long>(std::ceil(lo / best_step - eps));
  const long long last = static_cast<long long>(std::floor(hi / best_step + eps));
  for (long long k = first; k <= last; ++k) {
    double v = k * best_step;
    if (std::abs(v) < best_step * 1e-9) v = 0;
    t.values.push_back(v);
  }
  return t;
}

std::string FormatTick(double value, double step) {
  char buf[64];
  step = std::abs(step);
  if (step > 0 && (step < 1e-4 || std::abs(value) >= 1e7)) {
    std::snprintf(buf, sizeof buf, "%.3g", value);
    return buf;
  }
  // Fewest decimals that show every multiple of the step exactly.
  int decimals = 0;
  while (decimals < 6) {
    const double scaled = step * std::pow(10.0, decimals);
    if (std::abs(scaled - std::round(scaled)) < 1e-6 * std::max(1.0, scaled)) break;
    ++decimals;
  }
  std::snprintf(buf, sizeof buf, "%.*f", decimals, value);
  std::string s = buf;
  if (s.find_first_not_of("-0.") == std::string::npos && s[0] == '-') s.erase(0, 1);
  return s;
}

}  // namespace auris::plot
