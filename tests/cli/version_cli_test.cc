// auris --version names the vector-kernel set the run-time dispatch chose;
// AURIS_ISA lowers it, and an unknown value is an error of every command.
#include <doctest/doctest.h>

#include <string>

#include "auris/core/isa.h"
#include "cli_support.h"

namespace auris::test {
namespace {

TEST_CASE("auris --version prints the kernel set, AURIS_ISA chooses a lower one") {
  std::string out;
  CHECK(RunCommand("env -u AURIS_ISA '" AURIS_EXE "' --version", &out) == 0);
  CHECK(out.find("auris 0.1.0\n") == 0);
  CHECK(out.find(std::string("vector kernels: ") + IsaName(ActiveIsa())) != std::string::npos);
  CHECK(RunCommand("AURIS_ISA=baseline '" AURIS_EXE "' --version", &out) == 0);
  CHECK(out.find("vector kernels: baseline (CPU runs: baseline") != std::string::npos);
  CHECK(out.find("set by AURIS_ISA") != std::string::npos);

  const std::string wav = SourceDir() + "/data/samples/digit_string.wav";
  CHECK(RunCommand("AURIS_ISA=sse9 '" AURIS_EXE "' features '" + wav + "' ark:/dev/null", &out) == 1);
  CHECK(out == "auris: error: AURIS_ISA='sse9': expected baseline, avx2 or avx512\n");
}

}  // namespace
}  // namespace auris::test
