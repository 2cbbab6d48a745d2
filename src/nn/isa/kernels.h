// The nn loops that profit from wide vectors, compiled once per instruction
// set (kernels.cc, see CMakeLists.txt) into its own namespace, and chosen at
// run time (Active()).
//
// kernels.cc includes nothing with templates or inline functions that could
// be emitted out of line: every symbol it defines is in its per-ISA
// namespace, so the linker cannot pick an AVX2 copy of a shared function
// for baseline code (tests/isa checks the object files' symbols). Arguments
// are raw pointers: Eigen types (whose alignment depends on -march) never
// cross the boundary.
//
// Results: each set is deterministic and its result for a vector does not
// depend on the other vectors in the call. Across sets the order of the
// partial sums and FMA (AVX2, AVX-512) change rounding: they agree to a few
// float ulps of the sum of |terms| (tests/isa/kernels_test.cc).
#pragma once

#include <cstdint>

#include "auris/core/isa.h"

namespace auris::nn::isa {

struct Kernels {
  // y[i][r] += sum over c < cols of wt[c * rows + r] * x[i][c], for i < n:
  // wt is Wᵀ (row-major cols x rows); each weight is read once for all n.
  void (*add_mat_vec_many)(const float* wt, long rows, long cols, const float* const* x, float* const* y,
                           long n) noexcept;
  // y[r] = sum over c < cols of w[r * cols + c] * x[c] (W row-major rows x cols).
  void (*mat_vec)(const float* w, long rows, long cols, const float* x, float* y) noexcept;
  // The same with int8 weights and a float scale per row of W (nn/int8_weights.h):
  // each row's sum, accumulated in float, times scale[r].
  void (*add_mat_vec_many_int8)(const std::int8_t* qt, const float* scale, long rows, long cols,
                                const float* const* x, float* const* y, long n) noexcept;
  void (*mat_vec_int8)(const std::int8_t* q, const float* scale, long rows, long cols, const float* x,
                       float* y) noexcept;
};

namespace baseline { extern const Kernels kKernels; }
namespace avx2 { extern const Kernels kKernels; }
namespace avx512 { extern const Kernels kKernels; }

// The set compiled for `isa`, or nullptr when this build lacks it (not x86-64).
const Kernels* KernelsFor(Isa isa) noexcept;
// The set for ActiveIsa().
const Kernels& Active() noexcept;

}  // namespace auris::nn::isa
