// The instruction set of the hot vector kernels, chosen once per process.
//
// The default build targets any x86-64 with SSE4.2 (x86-64-v2); the few
// loops where vector width pays (nn/isa/, dsp/isa/) are also compiled for AVX2 + FMA
// (x86-64-v3) and AVX-512 (x86-64-v4), and each call goes to the best set
// this CPU runs. AURIS_ISA=baseline|avx2|avx512 asks for a lower one (tests,
// comparisons). Only the kernels follow it: the rest of the code is compiled
// once, for the build's -march.
#pragma once

#include <string>

namespace auris {

enum class Isa { kBaseline = 0, kAvx2 = 1, kAvx512 = 2 };
inline constexpr Isa kAllIsas[] = {Isa::kBaseline, Isa::kAvx2, Isa::kAvx512};

const char* IsaName(Isa isa) noexcept;  // "baseline", "avx2", "avx512"
// This CPU (and OS) runs code compiled for `isa`.
bool CpuSupports(Isa isa) noexcept;
// The highest level both the CPU and AURIS_ISA allow. Never throws: a bad
// AURIS_ISA counts as unset here (CheckIsaEnvironment reports it).
Isa ActiveIsa() noexcept;
// Throws auris::Error when AURIS_ISA is set to an unknown name or to a level
// this CPU cannot run.
void CheckIsaEnvironment();
// One line for --version: the active set and what the CPU offers.
std::string IsaDescription();

// A module's kernel table for `isa` among its per-ISA tables (nullptr where
// the build has none: not x86-64), and the one ActiveIsa() asks for, found
// once per process (the baseline table where the build lacks that set).
template <class Kernels>
struct IsaTables {
  const Kernels* baseline;
  const Kernels* avx2;
  const Kernels* avx512;

  const Kernels* For(Isa isa) const noexcept {
    return isa == Isa::kAvx512 ? avx512 : isa == Isa::kAvx2 ? avx2 : baseline;
  }
  const Kernels& Active() const noexcept {
    const Kernels* k = For(ActiveIsa());
    return k ? *k : *baseline;
  }
};

}  // namespace auris
