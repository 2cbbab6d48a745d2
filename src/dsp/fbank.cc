#include "auris/dsp/fbank.h"

#include <algorithm>
#include <cmath>
#include <cstring>

#include "auris/dsp/feature_window.h"

namespace auris::dsp {

FbankComputer::FbankComputer(const FbankOptions& opts)
    : opts_((opts.Validate(), opts)),
      fft_(opts.frame.PaddedWindowSize()),
      mel_banks_(SharedMelBanks(opts.mel, opts.frame.sample_frequency_hz,
                                opts.frame.PaddedWindowSize())),
      power_(opts.frame.PaddedWindowSize() / 2 + 1),
      mel_(LogBufferSize(opts.mel.num_bins)),
      log_energy_floor_(opts.energy_floor > 0 ? std::log(opts.energy_floor) : 0.0f) {}

void FbankComputer::Compute(float raw_log_energy, float /*vtln_warp*/, float* window,
                            float* feature) noexcept {
  const int padded = fft_.Size();
  if (window != fft_.Input()) std::memcpy(fft_.Input(), window, sizeof(float) * padded);
  if (opts_.use_energy && !opts_.raw_energy)
    raw_log_energy = LogFloored(SumSquares(fft_.Input(), padded));

  fft_.PowerSpectrum(power_.data());
  const int bins = padded / 2 + 1;
  if (!opts_.use_power)
    for (int k = 0; k < bins; ++k) power_[k] = std::sqrt(power_[k]);

  // Energy first (or last with htk_compat), as Kaldi lays the row out.
  const int num_mel = mel_banks_->NumBins();
  mel_banks_->Compute(power_.data(), mel_.data());
  if (opts_.use_log_fbank) LogMelEnergies(mel_.data(), num_mel, opts_.log_offset);
  std::copy_n(mel_.data(), num_mel, feature + ((opts_.use_energy && !opts_.htk_compat) ? 1 : 0));
  if (opts_.use_energy) {
    if (opts_.energy_floor > 0.0f && raw_log_energy < log_energy_floor_)
      raw_log_energy = log_energy_floor_;
    feature[opts_.htk_compat ? num_mel : 0] = raw_log_energy;
  }
}

}  // namespace auris::dsp
