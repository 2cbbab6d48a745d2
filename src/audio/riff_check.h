// libsndfile silently shortens a WAV file whose data chunk is cut off (it
// logs "should be ..." and reads what is there). Kaldi rejects such files, and
// so do we: this walks the RIFF chunk headers and compares the declared data
// size with the bytes actually present.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>

namespace auris::audio::internal {

// Reads n bytes at offset into buf; false if not all are available.
using ReadAt = std::function<bool(std::uint64_t offset, char* buf, std::size_t n)>;

// "" if the file is not RIFF/RIFX WAVE or its data chunk is complete;
// otherwise a description of the truncation.
std::string CheckWaveTruncation(const ReadAt& read_at, std::uint64_t file_size);

}  // namespace auris::audio::internal
