// Log power spectrum computer (Kaldi's SpectrogramComputer; element 0 holds
// the log energy); concept in mfcc.h.
#pragma once

#include "auris/dsp/feature_options.h"
#include "auris/dsp/real_fft.h"

namespace auris::dsp {

class SpectrogramComputer {
 public:
  using Options = SpectrogramOptions;
  explicit SpectrogramComputer(const SpectrogramOptions& opts);

  const FrameOptions& GetFrameOptions() const { return opts_.frame; }
  const SpectrogramOptions& GetOptions() const { return opts_; }
  int Dim() const { return opts_.Dim(); }
  bool NeedRawLogEnergy() const { return opts_.raw_energy; }
  float* WindowBuffer() { return fft_.Input(); }
  void Compute(float raw_log_energy, float vtln_warp, float* window, float* feature) noexcept;

 private:
  SpectrogramOptions opts_;
  RealFft fft_;
  float log_energy_floor_;
};

}  // namespace auris::dsp
