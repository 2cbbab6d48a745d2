#include "auris/dsp/spectrogram.h"

#include <algorithm>
#include <cfloat>
#include <cmath>
#include <cstring>

#include "auris/dsp/feature_window.h"

namespace auris::dsp {

SpectrogramComputer::SpectrogramComputer(const SpectrogramOptions& opts)
    : opts_((opts.Validate(), opts)),
      fft_(opts.frame.PaddedWindowSize()),
      log_energy_floor_(opts.energy_floor > 0 ? std::log(opts.energy_floor) : 0.0f) {}

void SpectrogramComputer::Compute(float raw_log_energy, float /*vtln_warp*/, float* window,
                                  float* feature) noexcept {
  const int padded = fft_.Size();
  if (window != fft_.Input()) std::memcpy(fft_.Input(), window, sizeof(float) * padded);
  if (!opts_.raw_energy) raw_log_energy = LogFloored(SumSquares(fft_.Input(), padded));
  if (opts_.energy_floor > 0.0f && raw_log_energy < log_energy_floor_)
    raw_log_energy = log_energy_floor_;

  fft_.PowerSpectrum(feature);
  const int bins = padded / 2 + 1;
  for (int k = 0; k < bins; ++k) feature[k] = std::log(std::max(feature[k], FLT_EPSILON));
  feature[0] = raw_log_energy;
}

}  // namespace auris::dsp
