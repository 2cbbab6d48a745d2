#include "audio/memory_io.h"

#include <algorithm>
#include <cstring>

namespace auris::audio::internal {
namespace {

MemoryFile& Cast(void* user) { return *static_cast<MemoryFile*>(user); }

sf_count_t GetLength(void* user) { return static_cast<sf_count_t>(Cast(user).bytes.size()); }

sf_count_t Seek(sf_count_t offset, int whence, void* user) {
  MemoryFile& f = Cast(user);
  sf_count_t base = 0;
  if (whence == SEEK_CUR) base = f.pos;
  if (whence == SEEK_END) base = static_cast<sf_count_t>(f.bytes.size());
  const sf_count_t target = base + offset;
  if (target < 0) return -1;
  f.pos = target;
  return f.pos;
}

sf_count_t Read(void* ptr, sf_count_t count, void* user) {
  MemoryFile& f = Cast(user);
  const sf_count_t size = static_cast<sf_count_t>(f.bytes.size());
  if (count <= 0 || f.pos >= size) return 0;
  const sf_count_t n = std::min(count, size - f.pos);
  std::memcpy(ptr, f.bytes.data() + f.pos, static_cast<std::size_t>(n));
  f.pos += n;
  return n;
}

sf_count_t Write(const void* ptr, sf_count_t count, void* user) {
  MemoryFile& f = Cast(user);
  if (count <= 0) return 0;
  const std::size_t end = static_cast<std::size_t>(f.pos + count);
  if (end > f.bytes.size()) f.bytes.resize(end, '\0');
  std::memcpy(f.bytes.data() + f.pos, ptr, static_cast<std::size_t>(count));
  f.pos += count;
  return count;
}

sf_count_t Tell(void* user) { return Cast(user).pos; }

}  // namespace

SF_VIRTUAL_IO* MemoryVirtualIo() {
  static SF_VIRTUAL_IO io{GetLength, Seek, Read, Write, Tell};
  return &io;
}

}  // namespace auris::audio::internal
