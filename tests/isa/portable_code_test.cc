// The default build runs on any x86-64-v2 CPU: AVX (VEX/EVEX) and BMI
// instructions appear only in the per-ISA kernels (auris::nn::isa::avx2 /
// avx512 and auris::dsp::isa's), which run only where the CPU has them; and the kernel objects
// define no symbol outside their own namespace, so the linker can never
// hand an AVX2 copy of a shared inline function to baseline code.
#include <doctest/doctest.h>

#include <cctype>
#include <filesystem>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "test_support.h"

namespace auris {
namespace {

namespace fs = std::filesystem;

// The archives of the modules (every libauris_*.a of this build) and the
// auris binary when it is built.
std::vector<std::string> CodeFiles() {
  std::vector<std::string> files;
  for (const auto& e : fs::directory_iterator(AURIS_BINARY_DIR)) {
    const std::string name = e.path().filename().string();
    if (name.rfind("libauris_", 0) == 0 && e.path().extension() == ".a") files.push_back(e.path().string());
  }
  if (fs::exists(AURIS_EXE_PATH)) files.push_back(AURIS_EXE_PATH);
  return files;
}

bool IsKernelFunction(const std::string& name) {
  for (const char* ns : {"auris::nn::isa::avx2::", "auris::nn::isa::avx512::", "auris::dsp::isa::avx2::",
                         "auris::dsp::isa::avx512::"})
    if (name.find(ns) != std::string::npos) return true;
  return false;
}

// An instruction a pre-AVX (x86-64-v2) CPU does not have.
bool NeedsAvxOrBmi(const std::string& mnemonic, const std::string& operands) {
  static const std::regex vmx("^(verr|verw|vmcall|vmlaunch|vmresume|vmxoff|vmxon|vmptrld|vmptrst|vmread|vmwrite|"
                              "vmclear|vmfunc|vmload|vmsave|vmrun|vmmcall)$");
  static const std::regex bmi("^(andn|bextr|blsi|blsmsk|blsr|bzhi|pdep|pext|rorx|sarx|shlx|shrx|mulx|movbe|kmov.*)$");
  if (mnemonic[0] == 'v' && !std::regex_match(mnemonic, vmx)) return true;
  if (std::regex_match(mnemonic, bmi)) return true;
  return operands.find("%ymm") != std::string::npos || operands.find("%zmm") != std::string::npos;
}

TEST_CASE("no AVX outside the per-ISA kernels in the default build") {
#ifdef AURIS_NATIVE_BUILD
  AURIS_SKIP_IF(true, "AURIS_NATIVE=ON: everything is compiled for this CPU on purpose");
#endif
  const std::vector<std::string> files = CodeFiles();
  REQUIRE(files.size() >= 2);  // at least libauris_core.a and libauris_nn.a (this test links them)
  std::size_t functions = 0, kernel_avx = 0;
  for (const std::string& file : files) {
    std::string out;
    REQUIRE(test::RunCommand("objdump -d -C --no-show-raw-insn '" + file + "'", &out) == 0);
    std::istringstream lines(out);
    std::string line, function;
    // "0000000000000000 <name>:" starts a function; "   1c:\tvmovups %ymm0,(%rdi)" is an instruction.
    while (std::getline(lines, line)) {
      if (line.size() > 3 && line.back() == ':' && line[line.size() - 2] == '>' && line.find(" <") != std::string::npos) {
        function = line.substr(line.find(" <") + 2, line.size() - line.find(" <") - 4);
        ++functions;
        continue;
      }
      const auto tab = line.find(":\t");
      if (tab == std::string::npos) continue;
      std::string insn = line.substr(tab + 2);
      const auto space = insn.find_first_of(" \t");
      const std::string mnemonic = insn.substr(0, space);
      const std::string operands = space == std::string::npos ? "" : insn.substr(space);
      if (mnemonic.empty() || !NeedsAvxOrBmi(mnemonic, operands)) continue;
      if (IsKernelFunction(function)) {
        ++kernel_avx;
        continue;
      }
      FAIL_CHECK(file << ": " << function << ": " << insn);
    }
  }
  MESSAGE(files.size() << " files, " << functions << " functions, " << kernel_avx << " AVX instructions in kernels");
  CHECK(functions > 100);
  CHECK(kernel_avx > 0);  // the scan sees AVX where it is meant to be
}

TEST_CASE("the kernel objects define symbols only in their own namespace") {
  for (const std::string module : {"nn", "dsp"}) {
    CAPTURE(module);
    std::string out;
    REQUIRE(test::RunCommand("nm -C --defined-only '" + std::string(AURIS_BINARY_DIR) + "/libauris_" + module + ".a'",
                             &out) == 0);
    const std::string ns = "auris::" + module + "::isa::";
    std::istringstream lines(out);
    std::string line, member;
    int kernel_members = 0, symbols = 0;
    while (std::getline(lines, line)) {
      if (line.size() > 1 && line.back() == ':') {  // "kernels.cc.o:" starts an archive member
        member = line.substr(0, line.size() - 1);
        if (member == "kernels.cc.o") ++kernel_members;
        continue;
      }
      if (member != "kernels.cc.o" || line.size() < 20) continue;
      const char type = line[17];
      const std::string name = line.substr(19);
      if (!std::isupper(static_cast<unsigned char>(type)) && type != 'u') continue;  // local symbols are private
      // Sanitizer bookkeeping (ASan's ODR indicators) names the symbol it guards.
      if (name.rfind("__odr_asan", 0) == 0 || name.rfind("__asan", 0) == 0) continue;
      ++symbols;
      const bool own = name.rfind(ns + "baseline::", 0) == 0 || name.rfind(ns + "avx2::", 0) == 0 ||
                       name.rfind(ns + "avx512::", 0) == 0;
      CHECK_MESSAGE(own, "kernel object exports " << name << " (" << type << ")");
    }
#ifdef AURIS_HAVE_ISA_KERNELS
    CHECK(kernel_members == 3);
#else
    CHECK(kernel_members == 1);
#endif
    CHECK(symbols >= kernel_members);
  }
}

}  // namespace
}  // namespace auris
