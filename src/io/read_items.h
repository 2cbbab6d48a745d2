// Reading a counted run of binary items whose count comes from the file.
// Internal to io.
#pragma once

#include <algorithm>
#include <cstddef>
#include <istream>
#include <vector>

namespace auris::io::internal {

// Reads `count` items of T into `out`, growing it as the data arrives: a
// corrupt count fails at the end of the data instead of allocating it up
// front (also on pipes, whose size is unknown). False if the data ends early.
template <typename T>
bool ReadItems(std::istream& in, std::size_t count, std::vector<T>* out) {
  constexpr std::size_t kChunk = std::size_t{1} << 16;
  out->clear();
  while (out->size() < count) {
    const std::size_t at = out->size(), n = std::min(kChunk, count - at);
    out->resize(at + n);
    if (!in.read(reinterpret_cast<char*>(out->data() + at), static_cast<std::streamsize>(n * sizeof(T))))
      return false;
  }
  return true;
}

}  // namespace auris::io::internal
