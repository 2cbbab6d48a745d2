// Log mel filterbank computer (Kaldi's FbankComputer); concept in mfcc.h.
#pragma once

#include <memory>
#include <vector>

#include "auris/dsp/feature_options.h"
#include "auris/dsp/mel_banks.h"
#include "auris/dsp/real_fft.h"

namespace auris::dsp {

class FbankComputer {
 public:
  using Options = FbankOptions;
  explicit FbankComputer(const FbankOptions& opts);

  const FrameOptions& GetFrameOptions() const { return opts_.frame; }
  const FbankOptions& GetOptions() const { return opts_; }
  int Dim() const { return opts_.Dim(); }
  bool NeedRawLogEnergy() const { return opts_.use_energy && opts_.raw_energy; }
  float* WindowBuffer() { return fft_.Input(); }
  void Compute(float raw_log_energy, float vtln_warp, float* window, float* feature) noexcept;

 private:
  FbankOptions opts_;
  RealFft fft_;
  std::shared_ptr<const MelBanks> mel_banks_;  // SharedMelBanks
  std::vector<float> power_;
  std::vector<float> mel_;  // LogBufferSize(num_bins): LogMelEnergies works in place
  float log_energy_floor_;
};

}  // namespace auris::dsp
