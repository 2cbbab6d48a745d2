#include "auris/core/isa.h"

#include <cstdlib>
#include <cstring>
#include <optional>

#include "auris/core/error.h"

namespace auris {
namespace {

std::optional<Isa> ParseIsa(const char* name) {
  for (Isa isa : kAllIsas)
    if (std::strcmp(name, IsaName(isa)) == 0) return isa;
  return std::nullopt;
}

Isa BestSupported() noexcept {
  Isa best = Isa::kBaseline;
  for (Isa isa : kAllIsas)
    if (CpuSupports(isa)) best = isa;
  return best;
}

Isa ChooseIsa() noexcept {
  const Isa best = BestSupported();
  const char* env = std::getenv("AURIS_ISA");
  if (env == nullptr || *env == '\0') return best;
  const std::optional<Isa> asked = ParseIsa(env);
  if (!asked || !CpuSupports(*asked)) return best;
  return *asked;
}

}  // namespace

const char* IsaName(Isa isa) noexcept {
  switch (isa) {
    case Isa::kAvx2: return "avx2";
    case Isa::kAvx512: return "avx512";
    default: return "baseline";
  }
}

bool CpuSupports(Isa isa) noexcept {
  if (isa == Isa::kBaseline) return true;
#if defined(__x86_64__) && defined(__GNUC__)
  // The psABI levels the kernels are compiled for: v3 = AVX2, FMA, BMI1/2,
  // F16C, LZCNT, MOVBE; v4 adds AVX512F/BW/CD/DQ/VL. The runtime also checks
  // that the OS saves the registers.
  __builtin_cpu_init();
#if defined(__clang__)  // clang 14 knows the features, not the level names
  const bool v3 = __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma") &&
                  __builtin_cpu_supports("bmi") && __builtin_cpu_supports("bmi2");
  const bool v4 = v3 && __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") &&
                  __builtin_cpu_supports("avx512cd") && __builtin_cpu_supports("avx512dq") &&
                  __builtin_cpu_supports("avx512vl");
#else
  const bool v3 = __builtin_cpu_supports("x86-64-v3"), v4 = __builtin_cpu_supports("x86-64-v4");
#endif
  if (isa == Isa::kAvx2) return v3;
  if (isa == Isa::kAvx512) return v4;
#endif
  return false;
}

Isa ActiveIsa() noexcept {
  static const Isa active = ChooseIsa();
  return active;
}

void CheckIsaEnvironment() {
  const char* env = std::getenv("AURIS_ISA");
  if (env == nullptr || *env == '\0') return;
  const std::optional<Isa> asked = ParseIsa(env);
  if (!asked) throw MakeError("AURIS_ISA='", env, "': expected baseline, avx2 or avx512");
  if (!CpuSupports(*asked))
    throw MakeError("AURIS_ISA=", env, ": this CPU does not run it (best: ", IsaName(BestSupported()), ")");
}

std::string IsaDescription() {
  std::string s = std::string("vector kernels: ") + IsaName(ActiveIsa()) + " (CPU runs:";
  for (Isa isa : kAllIsas)
    if (CpuSupports(isa)) s += std::string(" ") + IsaName(isa);
  s += std::getenv("AURIS_ISA") ? "; set by AURIS_ISA)" : ")";
  return s;
}

}  // namespace auris
