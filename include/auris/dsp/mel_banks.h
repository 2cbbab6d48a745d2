// Triangular mel filters stored sparsely (first FFT bin + weights per filter).
#pragma once

#include <vector>

#include "auris/dsp/frame_options.h"

namespace auris::dsp {

class MelBanks {
 public:
  // padded_window_size: FFT length; filters apply to its power spectrum.
  MelBanks(const MelOptions& mel, float sample_frequency_hz, int padded_window_size);

  int NumBins() const { return static_cast<int>(bins_.size()); }
  // mel[i] = sum_k weight_i(k) * spectrum[k]; spectrum has N/2+1 entries.
  void Compute(const float* spectrum, float* mel) const noexcept;

  static constexpr int kLanes = 8;  // short filters: little padding, short reduction
  // Weights from first_fft_bin on, zero-padded to a multiple of kLanes.
  struct Filter {
    int first_fft_bin = 0;
    std::vector<float> weights;
  };
  const std::vector<Filter>& Filters() const { return bins_; }

 private:
  std::vector<Filter> bins_;
};

// In place: log(max(x, FLT_EPSILON)) as Kaldi, or log(x + log_offset) when
// log_offset > 0 (torchaudio.transforms.MFCC with log_mels=True).
void LogMelEnergies(float* mel, int n, float log_offset) noexcept;

}  // namespace auris::dsp
