#include "auris/dsp/plp.h"

#include <algorithm>
#include <cfloat>
#include <cmath>
#include <cstring>

#include "auris/dsp/feature_window.h"
#include "auris/dsp/lpc.h"

namespace auris::dsp {

PlpComputer::PlpComputer(const PlpOptions& opts)
    : opts_((opts.Validate(), opts)),
      fft_(opts.frame.PaddedWindowSize()),
      mel_banks_(SharedMelBanks(opts.mel, opts.frame.sample_frequency_hz,
                                opts.frame.PaddedWindowSize())),
      power_(opts.frame.PaddedWindowSize() / 2 + 1),
      mel_(opts.mel.num_bins),
      compressed_(opts.mel.num_bins),
      autocorr_(opts.lpc_order + 1),
      lpc_(opts.lpc_order),
      cepstrum_(opts.lpc_order),
      log_energy_floor_(opts.energy_floor > 0 ? std::log(opts.energy_floor) : 0.0f) {
  for (const float f : mel_banks_->CenterFreqs()) equal_loudness_.push_back(EqualLoudness(f));
  // Kaldi transforms num_bins + 2 points whose first and last repeat the
  // first and last bin; folding those columns in gives the same sums.
  const int n = opts.mel.num_bins, width = n + 2, lags = opts.lpc_order + 1;
  const std::vector<double> full = IdftBases(lags, width);
  bases_.resize(static_cast<std::size_t>(lags) * n);
  for (int i = 0; i < lags; ++i) {
    const double* src = full.data() + static_cast<std::size_t>(i) * width;
    double* dst = bases_.data() + static_cast<std::size_t>(i) * n;
    std::copy(src + 1, src + 1 + n, dst);
    dst[0] += src[0];
    dst[n - 1] += src[width - 1];
  }
  // Kaldi's ComputeLifterCoeffs, 1 + Q/2 sin(pi i / Q), then cepstral_scale.
  const double q = opts.cepstral_lifter;
  for (int i = 0; i < opts.num_ceps; ++i) {
    const double lifter = q != 0.0 ? 1.0 + 0.5 * q * std::sin(M_PI * i / q) : 1.0;
    scale_.push_back(lifter * opts.cepstral_scale);
  }
}

void PlpComputer::Compute(float raw_log_energy, float /*vtln_warp*/, float* window,
                          float* feature) noexcept {
  const int padded = fft_.Size();
  if (window != fft_.Input()) std::memcpy(fft_.Input(), window, sizeof(float) * padded);
  if (opts_.use_energy && !opts_.raw_energy)
    raw_log_energy = LogFloored(SumSquares(fft_.Input(), padded));

  fft_.PowerSpectrum(power_.data());
  const int n = mel_banks_->NumBins();
  mel_banks_->Compute(power_.data(), mel_.data());
  const double exponent = opts_.compress_factor;
  for (int j = 0; j < n; ++j)
    compressed_[j] = std::pow(static_cast<double>(mel_[j]) * equal_loudness_[j], exponent);

  const int order = opts_.lpc_order;
  for (int i = 0; i <= order; ++i) {
    const double* row = bases_.data() + static_cast<std::size_t>(i) * n;
    double sum = 0.0;
    for (int j = 0; j < n; ++j) sum += row[j] * compressed_[j];
    autocorr_[i] = sum;
  }
  const double residual = Durbin(autocorr_.data(), order, lpc_.data());
  LpcToCepstrum(lpc_.data(), order, cepstrum_.data());

  // C0 is the log residual energy, floored as Kaldi does at FLT_MIN (so a
  // residual below 1 gives C0 = FLT_MIN, not a negative log).
  const int num_ceps = opts_.num_ceps;
  const double c0 = std::max(std::log(residual), static_cast<double>(FLT_MIN));
  feature[0] = static_cast<float>(c0 * scale_[0]);
  for (int i = 1; i < num_ceps; ++i) feature[i] = static_cast<float>(cepstrum_[i - 1] * scale_[i]);
  if (opts_.use_energy) {
    if (opts_.energy_floor > 0.0f && raw_log_energy < log_energy_floor_)
      raw_log_energy = log_energy_floor_;
    feature[0] = raw_log_energy;
  }
  if (opts_.htk_compat) std::rotate(feature, feature + 1, feature + num_ceps);
}

}  // namespace auris::dsp
