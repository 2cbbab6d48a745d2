#include "io/kaldi_compressed.h"

#include <cstdint>
#include <cstring>
#include <vector>

#include "auris/core/error.h"
#include "io/read_items.h"

namespace auris::io::internal {
namespace {

struct GlobalHeader {  // as stored, without Kaldi's leading format field
  float min_value;
  float range;
  std::int32_t num_rows;
  std::int32_t num_cols;
};

// Kaldi computes these in double and stores the result as float.
float Uint16ToFloat(const GlobalHeader& h, std::uint16_t v) {
  return static_cast<float>(h.min_value + h.range * 1.52590218966964e-05 * v);
}

float CharToFloat(float p0, float p25, float p75, float p100, unsigned char v) {
  if (v <= 64) return static_cast<float>(p0 + (p25 - p0) * v * (1 / 64.0));
  if (v <= 192) return static_cast<float>(p25 + (p75 - p25) * (v - 64) * (1 / 128.0));
  return static_cast<float>(p75 + (p100 - p75) * (v - 192) * (1 / 63.0));
}

[[noreturn]] void Truncated(const std::string& name, std::size_t rows, std::size_t cols) {
  throw MakeError(name, ": truncated compressed Kaldi matrix (", rows, " x ", cols, " values declared)");
}

}  // namespace

MatrixD ReadCompressedMatrix(std::istream& in, const std::string& token, const std::string& name) {
  GlobalHeader h;
  if (!in.read(reinterpret_cast<char*>(&h), sizeof h))
    throw MakeError(name, ": truncated compressed Kaldi matrix header");
  if (h.num_rows < 0 || h.num_cols < 0)
    throw MakeError(name, ": corrupt compressed Kaldi matrix header (", h.num_rows, " x ", h.num_cols, ")");
  if (h.num_cols == 0 || h.num_rows == 0) return MatrixD(0, 0);
  const std::size_t rows = static_cast<std::size_t>(h.num_rows), cols = static_cast<std::size_t>(h.num_cols);
  MatrixD m(0, 0);
  if (token == "CM") {
    // Per-column percentile headers for all columns, then the bytes column by column.
    std::vector<std::uint16_t> percentiles;
    std::vector<unsigned char> bytes;
    if (!ReadItems(in, 4 * cols, &percentiles) || !ReadItems(in, rows * cols, &bytes)) Truncated(name, rows, cols);
    m.resize(h.num_rows, h.num_cols);
    for (std::size_t c = 0; c < cols; ++c) {
      const float p0 = Uint16ToFloat(h, percentiles[4 * c]), p25 = Uint16ToFloat(h, percentiles[4 * c + 1]),
                  p75 = Uint16ToFloat(h, percentiles[4 * c + 2]), p100 = Uint16ToFloat(h, percentiles[4 * c + 3]);
      for (std::size_t r = 0; r < rows; ++r) m(r, c) = CharToFloat(p0, p25, p75, p100, bytes[c * rows + r]);
    }
  } else if (token == "CM2") {
    std::vector<std::uint16_t> v;
    if (!ReadItems(in, rows * cols, &v)) Truncated(name, rows, cols);
    m.resize(h.num_rows, h.num_cols);
    const float increment = static_cast<float>(h.range * (1.0 / 65535.0));
    for (std::size_t i = 0; i < v.size(); ++i) m.data()[i] = static_cast<float>(h.min_value + v[i] * increment);
  } else {
    std::vector<unsigned char> v;
    if (!ReadItems(in, rows * cols, &v)) Truncated(name, rows, cols);
    m.resize(h.num_rows, h.num_cols);
    const float increment = static_cast<float>(h.range * (1.0 / 255.0));
    for (std::size_t i = 0; i < v.size(); ++i) m.data()[i] = static_cast<float>(h.min_value + v[i] * increment);
  }
  return m;
}

}  // namespace auris::io::internal
