// Helpers shared by the audio tests: sox (the independent tool that makes and
// decodes test files) and raw PCM dumps.
#pragma once

#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

#include "test_support.h"

namespace auris::test {

inline bool HaveSox() { return RunCommand("sox --version") == 0; }

// Runs a command that must succeed.
inline void Run(const std::string& command) {
  std::string out;
  const int status = RunCommand(command, &out);
  REQUIRE_MESSAGE(status == 0, command << " failed: " << out);
}

// The raw little-endian int16 samples sox decodes from `path` (independent of libsndfile).
inline std::vector<float> SoxDecodeS16(const std::string& path, const std::string& raw_path) {
  Run("sox -D '" + path + "' -t s16 -e signed-integer -L '" + raw_path + "'");
  const std::string bytes = ReadFile(raw_path);
  std::vector<float> out(bytes.size() / 2);
  for (std::size_t i = 0; i < out.size(); ++i) {
    std::int16_t v;
    std::memcpy(&v, bytes.data() + 2 * i, 2);
    out[i] = v;
  }
  return out;
}

}  // namespace auris::test
