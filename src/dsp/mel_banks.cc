#include "auris/dsp/mel_banks.h"

#include <algorithm>
#include <cfloat>
#include <cmath>
#include <cstring>
#include <map>
#include <mutex>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "auris/core/error.h"
#include "dsp/isa/kernels.h"

namespace auris::dsp {

namespace {

// Kaldi's MelScale / InverseMelScale, in float like Kaldi.
float MelScale(float freq) { return 1127.0f * std::log(1.0f + freq / 700.0f); }
float InverseMelScale(float mel) { return 700.0f * (std::exp(mel / 1127.0f) - 1.0f); }

// HTK mel scale as torchaudio / librosa (htk=True) write it.
double HtkMel(double hz) { return 2595.0 * std::log10(1.0 + hz / 700.0); }
double HtkHz(double mel) { return 700.0 * (std::pow(10.0, mel / 2595.0) - 1.0); }

// Keeps the nonzero span of a dense filter; an all-zero filter is an error,
// as in Kaldi ("you may have set --num-mel-bins too large").
MelBanks::Filter Sparse(const std::vector<float>& dense, int bin, int num_bins) {
  int first = -1, last = -1;
  for (int k = 0; k < static_cast<int>(dense.size()); ++k) {
    if (dense[k] != 0.0f) {
      if (first < 0) first = k;
      last = k;
    }
  }
  if (first < 0)
    throw MakeError("--num-mel-bins (", num_bins, ") too large for the FFT size: mel bin ", bin,
                    " covers no FFT bin");
  return MelBanks::Filter{first, std::vector<float>(dense.begin() + first, dense.begin() + last + 1)};
}

// Zero-extends a filter to a whole number of kLanes-wide vectors (to the
// right, else the left, staying inside the spectrum's `size` bins), so
// Compute runs whole vectors with no scalar remainder.
void PadToLanes(MelBanks::Filter& filter, int size) {
  const int length = static_cast<int>(filter.weights.size());
  const int padded = (length + MelBanks::kLanes - 1) / MelBanks::kLanes * MelBanks::kLanes;
  if (padded > size) return;
  const int right = std::min(padded - length, size - (filter.first_fft_bin + length));
  const int left = padded - length - right;
  filter.weights.insert(filter.weights.end(), right, 0.0f);
  filter.weights.insert(filter.weights.begin(), left, 0.0f);
  filter.first_fft_bin -= left;
}

}  // namespace

MelBanks::MelBanks(const MelOptions& mel, float sample_frequency_hz, int padded_window_size) {
  mel.Validate(sample_frequency_hz);
  const int num_bins = mel.num_bins;
  const float low_freq = mel.low_freq_hz;
  const float high_freq = mel.HighFreqHz(sample_frequency_hz);
  bins_.reserve(num_bins);
  center_freqs_.reserve(num_bins);
  if (mel.triangles == "mel") {
    // Kaldi's MelBanks: FFT bins 0 .. N/2 - 1 (never Nyquist), weights linear
    // in mel, strictly inside (left, right).
    const int num_fft_bins = padded_window_size / 2;
    const float fft_bin_width = sample_frequency_hz / padded_window_size;
    const float mel_low = MelScale(low_freq);
    const float mel_high = MelScale(high_freq);
    const float mel_delta = (mel_high - mel_low) / (num_bins + 1);
    const float warp = mel.vtln_warp;
    const float vtln_low = mel.vtln_low_hz, vtln_high = mel.VtlnHighHz(sample_frequency_hz);
    auto warped = [&](float m) {
      return warp == 1.0f ? m : VtlnWarpMelFreq(vtln_low, vtln_high, low_freq, high_freq, warp, m);
    };
    // The mel of each FFT bin's centre frequency, the same for every filter.
    std::vector<float> fft_mel(num_fft_bins);
    for (int k = 0; k < num_fft_bins; ++k) fft_mel[k] = MelScale(fft_bin_width * k);
    std::vector<float> dense(num_fft_bins);
    for (int bin = 0; bin < num_bins; ++bin) {
      const float left = warped(mel_low + bin * mel_delta);
      const float center = warped(mel_low + (bin + 1) * mel_delta);
      const float right = warped(mel_low + (bin + 2) * mel_delta);
      center_freqs_.push_back(InverseMelScale(center));
      for (int k = 0; k < num_fft_bins; ++k) {
        const float m = fft_mel[k];
        float weight = 0.0f;
        if (m > left && m < right)
          weight = m <= center ? (m - left) / (center - left) : (right - m) / (right - center);
        dense[k] = weight;
      }
      bins_.push_back(Sparse(dense, bin, num_bins));
    }
  } else {
    // torchaudio.functional.melscale_fbanks(norm=None, mel_scale="htk"):
    // corners equally spaced in mel, triangles linear in Hz, bins 0 .. N/2.
    const int num_fft_bins = padded_window_size / 2 + 1;
    const double m_low = HtkMel(low_freq), m_high = HtkMel(high_freq);
    std::vector<double> corners(num_bins + 2);
    for (int i = 0; i < num_bins + 2; ++i)
      corners[i] = HtkHz(m_low + (m_high - m_low) * i / (num_bins + 1));
    std::vector<float> dense(num_fft_bins);
    for (int bin = 0; bin < num_bins; ++bin) {
      const double left = corners[bin], center = corners[bin + 1], right = corners[bin + 2];
      center_freqs_.push_back(static_cast<float>(center));
      for (int k = 0; k < num_fft_bins; ++k) {
        const double f = static_cast<double>(sample_frequency_hz) * k / padded_window_size;
        const double up = (f - left) / (center - left);
        const double down = (right - f) / (right - center);
        dense[k] = static_cast<float>(std::max(0.0, std::min(up, down)));
      }
      bins_.push_back(Sparse(dense, bin, num_bins));
    }
  }
  for (int i = 0; i < num_bins; ++i) {
    Filter& filter = bins_[i];
    PadToLanes(filter, padded_window_size / 2 + 1);
    const int length = static_cast<int>(filter.weights.size());
    first_bin_.push_back(filter.first_fft_bin);
    offset_.push_back(static_cast<int>(weights_.size()));
    vectors_.push_back(length / kLanes);
    if (length % kLanes != 0) tails_.push_back(i);
    weights_.insert(weights_.end(), filter.weights.begin(), filter.weights.end());
  }
}

std::shared_ptr<const MelBanks> SharedMelBanks(const MelOptions& mel, float sample_frequency_hz,
                                               int padded_window_size) {
  mel.Validate(sample_frequency_hz);  // no NaN in the key
  using Key = std::tuple<int, float, float, std::string, float, float, float, float, int>;
  const Key key{mel.num_bins,   mel.low_freq_hz, mel.high_freq_hz,    mel.triangles,
                mel.vtln_warp,  mel.vtln_low_hz, mel.vtln_high_hz,    sample_frequency_hz,
                padded_window_size};
  static std::mutex mutex;
  static auto* cache = new std::map<Key, std::shared_ptr<const MelBanks>>();  // never destroyed
  {
    std::lock_guard<std::mutex> lock(mutex);
    if (auto it = cache->find(key); it != cache->end()) return it->second;
  }
  // Built outside the lock; a concurrent twin build of the same key is
  // harmless (identical banks, the first one stored wins).
  auto banks = std::make_shared<const MelBanks>(mel, sample_frequency_hz, padded_window_size);
  std::lock_guard<std::mutex> lock(mutex);
  if (static_cast<int>(cache->size()) >= kMaxSharedMelBanks) cache->clear();
  return cache->emplace(key, std::move(banks)).first->second;
}

float VtlnWarpFreq(float vtln_low, float vtln_high, float low_freq, float high_freq,
                   float vtln_warp, float freq) {
  if (freq < low_freq || freq > high_freq) return freq;
  const float one = 1.0f;
  const float l = vtln_low * std::max(one, vtln_warp);
  const float h = vtln_high * std::min(one, vtln_warp);
  const float scale = static_cast<float>(1.0 / vtln_warp);  // Kaldi: double 1.0 / float
  const float fl = scale * l;
  const float fh = scale * h;
  const float scale_left = (fl - low_freq) / (l - low_freq);
  const float scale_right = (high_freq - fh) / (high_freq - h);
  if (freq < l) return low_freq + scale_left * (freq - low_freq);
  if (freq < h) return scale * freq;
  return high_freq + scale_right * (freq - high_freq);
}

float VtlnWarpMelFreq(float vtln_low, float vtln_high, float low_freq, float high_freq,
                      float vtln_warp, float mel) {
  return MelScale(
      VtlnWarpFreq(vtln_low, vtln_high, low_freq, high_freq, vtln_warp, InverseMelScale(mel)));
}

void MelBanks::Compute(const float* spectrum, float* mel) const noexcept {
  isa::Active().mel_banks(weights_.data(), offset_.data(), first_bin_.data(), vectors_.data(), NumBins(), spectrum,
                          mel);
  for (const int t : tails_) {
    const int length = static_cast<int>(bins_[t].weights.size());
    for (int k = vectors_[t] * kLanes; k < length; ++k)
      mel[t] += weights_[offset_[t] + k] * spectrum[first_bin_[t] + k];
  }
}

void LogMelEnergies(float* mel, int n, float log_offset) noexcept {
  // Whole blocks in place (padding set to 1, log 0), so every log runs in
  // vector lanes with no scalar remainder and no copies.
  const int size = LogBufferSize(n);
  std::fill(mel + n, mel + size, 1.0f);
  // FLT_MIN: VectorLog needs normal inputs (only a subnormal log_offset
  // could produce a smaller sum); Kaldi floors at FLT_EPSILON.
  const float floor = log_offset > 0.0f ? FLT_MIN : FLT_EPSILON;
  isa::Active().log_floored(mel, size, log_offset, floor);
}

}  // namespace auris::dsp
