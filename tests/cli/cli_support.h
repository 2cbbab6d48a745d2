// Running the built `auris` binary from tests.
#pragma once

#include <string>
#include <vector>

#include "test_support.h"

namespace auris::test {

struct CliResult {
  int status = 0;
  std::string out;  // stdout
  std::string err;  // stderr
};

// Runs `auris <args>` through /bin/sh (args are pasted verbatim), in `dir`.
CliResult RunAuris(const std::string& args, const TempDir& dir);

// Lines of `text` that contain `needle`.
std::vector<std::string> LinesWith(const std::string& text, const std::string& needle);

// Writes a mono 16-bit WAV of a deterministic speech-like signal (sum of
// harmonics with a moving pitch plus noise) of `seconds` at `rate`.
void WriteTestWav(const std::string& path, double seconds, int rate, unsigned seed);

}  // namespace auris::test
