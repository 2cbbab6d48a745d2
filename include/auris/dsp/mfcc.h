// Per-frame feature computers (Kaldi's concept, feature-common.h):
//   using Options;  explicit Computer(const Options&)  (validates);
//   const FrameOptions& GetFrameOptions() const;  int Dim() const;
//   bool NeedRawLogEnergy() const;
//   float* WindowBuffer();  // PaddedWindowSize() floats, the FFT input
//   void Compute(float raw_log_energy, float vtln_warp, float* window, float* feature) noexcept;
// `window` is a processed frame (WindowProcessor); it is destroyed. Passing
// WindowBuffer() as `window` avoids a copy. The Compute argument vtln_warp is
// accepted for Kaldi's concept and ignored: the warp is an option
// (MelOptions::vtln_warp), fixed per computer, whose mel banks are shared
// (SharedMelBanks). A computer owns buffers: one per thread.
#pragma once

#include <memory>
#include <vector>

#include "auris/dsp/feature_options.h"
#include "auris/dsp/mel_banks.h"
#include "auris/dsp/real_fft.h"

namespace auris::dsp {

class MfccComputer {
 public:
  using Options = MfccOptions;
  explicit MfccComputer(const MfccOptions& opts);

  const FrameOptions& GetFrameOptions() const { return opts_.frame; }
  const MfccOptions& GetOptions() const { return opts_; }
  int Dim() const { return opts_.num_ceps; }
  bool NeedRawLogEnergy() const { return opts_.use_energy && opts_.raw_energy; }
  float* WindowBuffer() { return fft_.Input(); }
  void Compute(float raw_log_energy, float vtln_warp, float* window, float* feature) noexcept;

 private:
  MfccOptions opts_;
  RealFft fft_;
  std::shared_ptr<const MelBanks> mel_banks_;  // SharedMelBanks
  std::vector<float> power_;
  std::vector<float> mel_;
  int ceps_stride_;  // num_ceps rounded up to whole vectors of the widest kernels (isa::kMaxLanes)
  float log_energy_floor_;
  // num_bins x ceps_stride_: the DCT transposed and zero-padded, lifter folded in.
  std::vector<float> dct_;
};

}  // namespace auris::dsp
