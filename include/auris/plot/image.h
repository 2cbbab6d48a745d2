// PNG bytes in and out: figures are rendered to PNG in memory (the caller
// writes the file, e.g. atomically), and DecodePng reads any PNG back into
// plain RGB pixels (for tests and tools).
#pragma once

#include <string>
#include <vector>

#include "auris/plot/colormap.h"

namespace auris::plot {

struct Image {
  int width = 0, height = 0;
  std::vector<Rgb> pixels;  // row-major, top row first; alpha composited over white

  const Rgb& At(int x, int y) const { return pixels[static_cast<std::size_t>(y) * width + x]; }
};

// Throws auris::Error("<name>: not a PNG image ...") on bad data.
Image DecodePng(const std::string& bytes, const std::string& name = "image");

}  // namespace auris::plot
