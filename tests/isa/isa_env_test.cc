// AURIS_ISA lowers the kernel set of a process; bad values are errors.
#include <doctest/doctest.h>

#include <string>

#include "auris/core/isa.h"
#include "test_support.h"

namespace auris {
namespace {

std::string Probe(const std::string& env, int* status) {
  std::string out;
  *status = test::RunCommand(env + " " + AURIS_ISA_PROBE, &out);
  return out;
}

TEST_CASE("AURIS_ISA picks the kernel set of the process") {
  int status = -1;
  Isa best = Isa::kBaseline;
  for (Isa isa : kAllIsas)
    if (CpuSupports(isa)) best = isa;
  CHECK(Probe("env -u AURIS_ISA", &status) == std::string(IsaName(best)) + " table-ok\n");
  CHECK(status == 0);
  for (Isa isa : kAllIsas) {
    const std::string out = Probe(std::string("AURIS_ISA=") + IsaName(isa), &status);
    if (CpuSupports(isa)) {
      CHECK(out == std::string(IsaName(isa)) + " table-ok\n");
      CHECK(status == 0);
    } else {
      CHECK(out.find("this CPU does not run it") != std::string::npos);
      CHECK(status != 0);
    }
  }
  const std::string bad = Probe("AURIS_ISA=sse9", &status);
  CHECK(bad.find("AURIS_ISA='sse9': expected baseline, avx2 or avx512") != std::string::npos);
  CHECK(status != 0);
}

}  // namespace
}  // namespace auris
