// Helpers for the plot tests: render a figure, decode the PNG it wrote, and
// find pixels by colour.
#pragma once

#include <cstdlib>
#include <string>

#include "auris/plot/figure.h"
#include "auris/plot/image.h"

namespace auris::test {

inline int Luma(plot::Rgb c) { return (299 * c.r + 587 * c.g + 114 * c.b) / 1000; }

inline bool Near(plot::Rgb a, plot::Rgb b, int tol = 1) {
  return std::abs(a.r - b.r) <= tol && std::abs(a.g - b.g) <= tol && std::abs(a.b - b.b) <= tol;
}

inline std::string Str(plot::Rgb c) {
  return "(" + std::to_string(c.r) + "," + std::to_string(c.g) + "," + std::to_string(c.b) + ")";
}

// Bounding box of the pixels of colour `c` inside [x0, x1) x [y0, y1).
struct Box {
  int x0 = 1 << 30, y0 = 1 << 30, x1 = -1, y1 = -1;  // inclusive max
  bool Empty() const { return x1 < 0; }
};

inline Box FindColour(const plot::Image& img, plot::Rgb c, int x0, int y0, int x1, int y1) {
  Box b;
  for (int y = y0; y < y1; ++y)
    for (int x = x0; x < x1; ++x)
      if (img.At(x, y) == c) {
        b.x0 = std::min(b.x0, x), b.y0 = std::min(b.y0, y);
        b.x1 = std::max(b.x1, x), b.y1 = std::max(b.y1, y);
      }
  return b;
}

}  // namespace auris::test
