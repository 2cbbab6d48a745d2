// libsndfile virtual I/O over an in-memory byte buffer (internal to audio).
// Used to decode bytes handed over by the caller (e.g. a wav.scp pipe's
// output) and to encode files in memory before an atomic write.
#pragma once

#include <sndfile.h>

#include <string>

namespace auris::audio::internal {

// Cursor over `bytes`; writes grow the buffer. Must outlive the SNDFILE.
struct MemoryFile {
  std::string bytes;
  sf_count_t pos = 0;
};

SF_VIRTUAL_IO* MemoryVirtualIo();

}  // namespace auris::audio::internal
