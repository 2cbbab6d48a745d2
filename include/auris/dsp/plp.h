// Perceptual linear prediction (Kaldi's PlpComputer, feat/feature-plp.cc);
// computer concept in mfcc.h. Per frame: power spectrum -> mel energies ->
// equal-loudness weights -> power-law compression (cube-root by default) ->
// autocorrelations (inverse cosine transform of the spectrum, its first and
// last bins duplicated) -> LPC (Durbin) -> cepstrum -> lifter, scale ->
// energy in C0 (use_energy) -> htk_compat order.
#pragma once

#include <memory>
#include <vector>

#include "auris/dsp/feature_options.h"
#include "auris/dsp/mel_banks.h"
#include "auris/dsp/real_fft.h"

namespace auris::dsp {

class PlpComputer {
 public:
  using Options = PlpOptions;
  explicit PlpComputer(const PlpOptions& opts);

  const FrameOptions& GetFrameOptions() const { return opts_.frame; }
  const PlpOptions& GetOptions() const { return opts_; }
  int Dim() const { return opts_.num_ceps; }
  bool NeedRawLogEnergy() const { return opts_.use_energy && opts_.raw_energy; }
  float* WindowBuffer() { return fft_.Input(); }
  void Compute(float raw_log_energy, float vtln_warp, float* window, float* feature) noexcept;

 private:
  PlpOptions opts_;
  RealFft fft_;
  std::shared_ptr<const MelBanks> mel_banks_;  // SharedMelBanks
  std::vector<float> power_;
  std::vector<float> mel_;
  std::vector<float> equal_loudness_;  // per mel bin
  // (lpc_order + 1) x num_bins: Kaldi's IDFT bases over num_bins + 2 points
  // with the duplicated edge columns added into the first / last bin's.
  std::vector<double> bases_;
  std::vector<double> compressed_, autocorr_, lpc_, cepstrum_;
  std::vector<double> scale_;  // per output coefficient: lifter x cepstral_scale
  float log_energy_floor_;
};

}  // namespace auris::dsp
