#include "audio/riff_check.h"

#include <cstring>

namespace auris::audio::internal {
namespace {

std::uint32_t Load32(const char* p, bool big_endian) {
  const auto* u = reinterpret_cast<const unsigned char*>(p);
  if (big_endian)
    return (std::uint32_t{u[0]} << 24) | (std::uint32_t{u[1]} << 16) | (std::uint32_t{u[2]} << 8) | u[3];
  return (std::uint32_t{u[3]} << 24) | (std::uint32_t{u[2]} << 16) | (std::uint32_t{u[1]} << 8) | u[0];
}

}  // namespace

std::string CheckWaveTruncation(const ReadAt& read_at, std::uint64_t file_size) {
  char head[12];
  if (file_size < 12 || !read_at(0, head, 12)) return "";
  const bool riff = std::memcmp(head, "RIFF", 4) == 0, rifx = std::memcmp(head, "RIFX", 4) == 0;
  if (!(riff || rifx) || std::memcmp(head + 8, "WAVE", 4) != 0) return "";
  std::uint64_t offset = 12;
  for (int chunks = 0; chunks < 100000 && offset + 8 <= file_size; ++chunks) {
    char chunk[8];
    if (!read_at(offset, chunk, 8)) return "";
    const std::uint32_t size = Load32(chunk + 4, rifx);
    if (std::memcmp(chunk, "data", 4) == 0) {
      const std::uint64_t available = file_size - (offset + 8);
      // Writers that cannot seek back mark an unknown length: Kaldi's "stream
      // mode" uses 0 or 0xFFFFFFFF, sox writing to a pipe 0x7FFFF000. Such
      // files are read to the end.
      const bool unknown_length = size == 0 || size >= 0x7FFFF000u;
      if (!unknown_length && size > available)
        return "truncated: the data chunk declares " + std::to_string(size) +
               " bytes but only " + std::to_string(available) + " are present";
      return "";
    }
    offset += 8 + size + (size & 1u);  // chunks are padded to even sizes
  }
  return "";
}

}  // namespace auris::audio::internal
