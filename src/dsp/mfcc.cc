#include "auris/dsp/mfcc.h"

#include <algorithm>
#include <cmath>
#include <cstring>

#include "auris/dsp/feature_window.h"
#include "dsp/isa/kernels.h"

namespace auris::dsp {

MfccComputer::MfccComputer(const MfccOptions& opts)
    : opts_((opts.Validate(), opts)),
      fft_(opts.frame.PaddedWindowSize()),
      mel_banks_(SharedMelBanks(opts.mel, opts.frame.sample_frequency_hz,
                                opts.frame.PaddedWindowSize())),
      power_(opts.frame.PaddedWindowSize() / 2 + 1),
      mel_(LogBufferSize(opts.mel.num_bins)),
      ceps_stride_((opts.num_ceps + isa::kMaxLanes - 1) / isa::kMaxLanes * isa::kMaxLanes),
      log_energy_floor_(opts.energy_floor > 0 ? std::log(opts.energy_floor) : 0.0f) {
  // Kaldi's ComputeDctMatrix (orthonormal DCT-II rows) times the lifter
  // 1 + Q/2 sin(pi i / Q), folded together; stored transposed (bin-major) so
  // the product accumulates all cepstra at once in vector lanes.
  const int n = opts.mel.num_bins;
  dct_.assign(static_cast<std::size_t>(ceps_stride_) * n, 0.0f);
  for (int k = 0; k < opts.num_ceps; ++k) {
    const double norm = k == 0 ? std::sqrt(1.0 / n) : std::sqrt(2.0 / n);
    const double lifter =
        opts.cepstral_lifter != 0.0f
            ? 1.0 + 0.5 * opts.cepstral_lifter * std::sin(M_PI * k / opts.cepstral_lifter)
            : 1.0;
    for (int j = 0; j < n; ++j) {
      const double dct = norm * std::cos(M_PI / n * (j + 0.5) * k);
      dct_[static_cast<std::size_t>(j) * ceps_stride_ + k] = static_cast<float>(lifter * dct);
    }
  }
}

void MfccComputer::Compute(float raw_log_energy, float /*vtln_warp*/, float* window,
                           float* feature) noexcept {
  const int padded = fft_.Size();
  if (window != fft_.Input()) std::memcpy(fft_.Input(), window, sizeof(float) * padded);
  if (opts_.use_energy && !opts_.raw_energy)
    raw_log_energy = LogFloored(SumSquares(fft_.Input(), padded));
  if (opts_.energy_floor > 0.0f && raw_log_energy < log_energy_floor_)
    raw_log_energy = log_energy_floor_;

  fft_.PowerSpectrum(power_.data());
  const int num_bins = mel_banks_->NumBins();
  mel_banks_->Compute(power_.data(), mel_.data());
  LogMelEnergies(mel_.data(), num_bins, opts_.log_offset);

  const int num_ceps = opts_.num_ceps;
  isa::Active().dct(dct_.data(), ceps_stride_, mel_.data(), num_bins, num_ceps, feature);
  if (opts_.use_energy) feature[0] = raw_log_energy;
  if (opts_.htk_compat) {
    // C0 / energy goes last; C0 loses the sqrt(2) of the orthonormal DCT.
    float energy = feature[0];
    for (int i = 0; i + 1 < num_ceps; ++i) feature[i] = feature[i + 1];
    if (!opts_.use_energy) energy *= static_cast<float>(M_SQRT2);
    feature[num_ceps - 1] = energy;
  }
}

}  // namespace auris::dsp
