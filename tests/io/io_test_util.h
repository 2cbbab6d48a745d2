// Runs tests/io/kaldi_formats.py (numpy, independent of auris) and reads the
// .npy files it writes.
#pragma once

#include <string>

#include "auris/core/eigen.h"
#include "auris/io/npy.h"
#include "test_support.h"

namespace auris::test {

inline bool HaveNumpy() { return RunCommand(std::string(AURIS_PYTHON) + " -c 'import numpy'") == 0; }

// Runs the script with `args`; returns its stdout, failing the test on error.
inline std::string RunFormatsScript(const std::string& args) {
  const std::string cmd = std::string(AURIS_PYTHON) + " " + SourceDir() + "/tests/io/kaldi_formats.py " + args;
  std::string out;
  const int status = RunCommand(cmd, &out);
  REQUIRE_MESSAGE(status == 0, cmd << "\n" << out);
  return out;
}

inline MatrixD LoadNumpy(const std::string& path) { return io::ReadNpy(path).ToMatrixD(); }

}  // namespace auris::test
