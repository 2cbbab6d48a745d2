// Triangular mel filters stored sparsely (first FFT bin + weights per filter).
#pragma once

#include <memory>
#include <vector>

#include "auris/dsp/frame_options.h"

namespace auris::dsp {

class MelBanks {
 public:
  // padded_window_size: FFT length; filters apply to its power spectrum.
  // mel.vtln_warp != 1 warps the triangle corners as Kaldi's MelBanks does.
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
  // Each filter's centre frequency in Hz (after any VTLN warp), as Kaldi's
  // MelBanks::GetCenterFreqs; PLP weights the bins by equal loudness there.
  const std::vector<float>& CenterFreqs() const { return center_freqs_; }

 private:
  std::vector<Filter> bins_;
  std::vector<float> center_freqs_;
  // Compute's copy of bins_: the weights back to back, filter i's from
  // weights_[offset_[i]] (vectors_[i] whole kLanes-wide vectors of them, applied from
  // first_bin_[i]); filters whose padding did not fit (short spectra) keep
  // a scalar tail, listed in tails_.
  std::vector<float> weights_;
  std::vector<int> first_bin_, offset_, vectors_, tails_;
};

// Banks shared process-wide: one immutable MelBanks per distinct (mel
// options, rate, FFT size), built on first use (thread-safe). Extractors made
// per utterance with a warp from a small set (VTLP draws on a grid) reuse
// them; FFT plans are shared the same way (real_fft.h), so a new extractor
// plans nothing. At most kMaxSharedMelBanks entries: beyond that the cache
// starts over (holders keep their banks).
inline constexpr int kMaxSharedMelBanks = 256;
std::shared_ptr<const MelBanks> SharedMelBanks(const MelOptions& mel, float sample_frequency_hz,
                                               int padded_window_size);

// Kaldi's MelBanks::VtlnWarpFreq (float, as Kaldi): identity outside
// [low_freq, high_freq]; else piecewise linear through (low_freq, low_freq),
// slope 1/warp between l = vtln_low * max(1, warp) and
// h = vtln_high * min(1, warp), and (high_freq, high_freq). vtln_high is
// already resolved against Nyquist. Requires vtln_low > low_freq and
// vtln_high < high_freq (MelOptions::Validate).
float VtlnWarpFreq(float vtln_low, float vtln_high, float low_freq, float high_freq,
                   float vtln_warp, float freq);
// MelScale(VtlnWarpFreq(..., InverseMelScale(mel))), Kaldi's VtlnWarpMelFreq.
float VtlnWarpMelFreq(float vtln_low, float vtln_high, float low_freq, float high_freq,
                      float vtln_warp, float mel);

// LogMelEnergies runs whole blocks of kLogBlock values (16: GCC unrolls
// shorter fixed loops into scalar code instead of vectorising them); its
// buffer holds n rounded up to whole blocks.
inline constexpr int kLogBlock = 16;
constexpr int LogBufferSize(int n) { return (n + kLogBlock - 1) / kLogBlock * kLogBlock; }

// In place on mel[0, n): log(max(x, FLT_EPSILON)) as Kaldi, or
// log(x + log_offset) when log_offset > 0 (torchaudio.transforms.MFCC with
// log_mels=True). mel holds LogBufferSize(n) floats; those from n on are
// scratch (overwritten).
void LogMelEnergies(float* mel, int n, float log_offset) noexcept;

}  // namespace auris::dsp
