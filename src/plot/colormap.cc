#include "auris/plot/colormap.h"

#include <algorithm>
#include <array>
#include <cmath>

namespace auris::plot {
namespace {

// Published viridis control points at t = 0, 1/8, ..., 1 (matplotlib's map
// sampled at 9 evenly spaced positions).
constexpr std::array<std::uint32_t, 9> kViridis = {0x440154, 0x472d7b, 0x3b528b, 0x2c728e, 0x21918c,
                                                   0x28ae80, 0x5ec962, 0xaddc30, 0xfde725};

constexpr std::array<std::uint32_t, 10> kTableau10 = {0x1f77b4, 0xff7f0e, 0x2ca02c, 0xd62728, 0x9467bd,
                                                      0x8c564b, 0xe377c2, 0x7f7f7f, 0xbcbd22, 0x17becf};

double Channel(std::uint32_t rgb, int shift) { return static_cast<double>((rgb >> shift) & 0xff); }

Rgb FromHex(std::uint32_t rgb) {
  return {static_cast<std::uint8_t>(rgb >> 16), static_cast<std::uint8_t>(rgb >> 8),
          static_cast<std::uint8_t>(rgb)};
}

}  // namespace

Rgb Viridis(double t) {
  if (!(t > 0)) t = 0;  // also NaN
  t = std::min(t, 1.0);
  const double pos = t * (kViridis.size() - 1);
  const int k = std::min(static_cast<int>(pos), static_cast<int>(kViridis.size()) - 2);
  const double f = pos - k;
  auto mix = [&](int shift) {
    const double v = Channel(kViridis[k], shift) * (1 - f) + Channel(kViridis[k + 1], shift) * f;
    return static_cast<std::uint8_t>(std::lround(v));
  };
  return {mix(16), mix(8), mix(0)};
}

Rgb SeriesColor(int i) {
  const int n = static_cast<int>(kTableau10.size());
  return FromHex(kTableau10[((i % n) + n) % n]);
}

}  // namespace auris::plot
