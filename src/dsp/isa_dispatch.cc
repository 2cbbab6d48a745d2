// The run-time choice among the per-ISA kernel sets of isa/kernels.cc.
#include "isa/kernels.h"

namespace auris::dsp::isa {
namespace {

#ifdef AURIS_HAVE_ISA_KERNELS
constexpr IsaTables<Kernels> kTables{&baseline::kKernels, &avx2::kKernels, &avx512::kKernels};
#else
constexpr IsaTables<Kernels> kTables{&baseline::kKernels, nullptr, nullptr};
#endif

}  // namespace

const Kernels* KernelsFor(Isa isa) noexcept { return kTables.For(isa); }

const Kernels& Active() noexcept {
  static const Kernels& active = kTables.Active();
  return active;
}

}  // namespace auris::dsp::isa
