// The per-frame feature loops that profit from wide vectors, compiled once
// per instruction set (kernels.cc, auris_isa_kernels in CMakeLists.txt) into
// its own namespace and chosen at run time (Active()), as nn/isa/kernels.h.
//
// kernels.cc includes only headers whose functions are always inlined
// (vector_math.h, power_pair.h) and no standard algorithms: every symbol it
// defines is in its per-ISA namespace, and it has no static initialiser (which
// would run AVX code at start-up on any CPU); tests/isa checks both.
//
// Results: each set is deterministic; across sets the vector width changes
// the order of partial sums and AVX2 / AVX-512 fuse multiply-adds, so they
// agree to a few float ulps of each value's terms (tests/isa/dsp_kernels_test.cc);
// every set meets the torchaudio reference grid's bounds.
#pragma once

#include "auris/core/isa.h"

namespace auris::dsp::isa {

struct Kernels {
  // Kaldi's DC removal, pre-emphasis and window fused into one pass over the
  // frame's n samples (WindowProcessor::Process): out[i] = (x[i] - c x[i-1] -
  // (1 - c) mean) w[i], x[-1] = x[0], mean = 0 unless remove_dc. Returns the
  // energy sum (x[i] - mean)^2.
  double (*window_frame)(const float* x, int n, bool remove_dc, float c, const float* w, float* out) noexcept;
  // |X_k|^2 for k = 0 .. half from the half-size complex DFT z of the real
  // frame (half + 1 interleaved values, z[half] = z[0]) and the twiddles
  // W^k = wr[k] + i wi[k] (RealFft::PowerSpectrum). Returns true when a bin
  // but DC lost its digits to cancellation (the frame is redone in double).
  bool (*power_spectrum)(const float* z, int half, const float* wr, const float* wi, float* power) noexcept;
  // mel[i] = sum of vectors[i] x 8 weights from weights + offset[i] times the
  // spectrum from first_bin[i], for i < num_bins (MelBanks::Compute).
  void (*mel_banks)(const float* weights, const int* offset, const int* first_bin, const int* vectors,
                    int num_bins, const float* spectrum, float* mel) noexcept;
  // x[i] = log(max(x[i] + offset, floor)) for i < n, n a multiple of 16
  // (LogMelEnergies); floor a positive normal float.
  void (*log_floored)(float* x, int n, float offset, float floor) noexcept;
  // out[k] = sum over j < num_bins of dct[j * stride + k] * mel[j], k < num_ceps;
  // stride a multiple of kMaxLanes, dct zero-padded (MfccComputer::Compute).
  void (*dct)(const float* dct, int stride, const float* mel, int num_bins, int num_ceps, float* out) noexcept;
};

// Floats per vector of the widest set (AVX-512): tables padded to it suit every set.
inline constexpr int kMaxLanes = 16;

namespace baseline { extern const Kernels kKernels; }
namespace avx2 { extern const Kernels kKernels; }
namespace avx512 { extern const Kernels kKernels; }

// The set compiled for `isa`, or nullptr when this build lacks it (not x86-64).
const Kernels* KernelsFor(Isa isa) noexcept;
// The set for ActiveIsa().
const Kernels& Active() noexcept;

}  // namespace auris::dsp::isa
