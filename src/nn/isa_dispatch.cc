// The run-time choice among the per-ISA kernel sets of isa/kernels.cc.
#include "isa/kernels.h"

namespace auris::nn::isa {

const Kernels* KernelsFor(Isa isa) noexcept {
  switch (isa) {
    case Isa::kBaseline: return &baseline::kKernels;
#ifdef AURIS_HAVE_ISA_KERNELS
    case Isa::kAvx2: return &avx2::kKernels;
    case Isa::kAvx512: return &avx512::kKernels;
#endif
    default: return nullptr;
  }
}

const Kernels& Active() noexcept {
  static const Kernels* const active = [] {
    const Kernels* k = KernelsFor(ActiveIsa());
    return k ? k : &baseline::kKernels;
  }();
  return *active;
}

}  // namespace auris::nn::isa
