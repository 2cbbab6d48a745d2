// Training-time data augmentation, all off by default: speed perturbation,
// time shift, additive noise at a random SNR, random gain (on the waveform),
// VTLP (a random VTLN warp of the mel banks, Jaitly & Hinton 2013) and
// SpecAugment time / frequency masks (Park et al. 2019, on the features).
//
// Per utterance the trainer seeds one Rng (seed, epoch, example) and calls
//   AugmentDraws d = DrawAugmentation(opts, rate, bank, rng);
//   std::vector<float> audio = AugmentWaveform(samples, rate, d, bank);
//   features of `audio` with pipeline::WithWarp(feature_options, d.vtln_warp);
//   SpecAugment(features, opts, rng);
// Every function is a pure function of its arguments (no global state), so
// examples can run on any thread and the result depends only on the seed.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "auris/core/eigen.h"
#include "auris/core/rng.h"
#include "auris/dsp/feature_options.h"
#include "auris/train/noise.h"

namespace auris::train {

struct AugmentOptions {
  // Speed perturbation (Kaldi's / sox's "speed"): the waveform is resampled
  // (soxr) by a factor drawn uniformly in [speed_min, speed_max]; tempo and
  // pitch both scale by it and the length by 1 / factor.
  double speed_min = 1, speed_max = 1;
  // Gain drawn uniformly in dB, applied last (scales speech and noise alike).
  double gain_db_min = 0, gain_db_max = 0;
  // Time shift drawn uniformly in whole samples in [-shift, +shift]: a delay
  // prepends zeros, an advance drops leading samples (at most all but one);
  // nothing is rolled around and the tail is untouched, so the length
  // changes by the shift.
  double shift_ms = 0;
  // Silence padding: zeros of a length drawn uniformly in [0, pad_ms] are
  // added before and (drawn separately) after the utterance, after the
  // shift and before the noise, so models also meet audio that is not cut
  // tightly around the word (as FSDD's recordings are).
  double pad_ms = 0;
  // With probability noise_prob, noise is added at an SNR drawn uniformly in
  // [snr_db_min, snr_db_max], relative to the speech-active power of the
  // (speed-perturbed, shifted) utterance (ActivePower in noise.h) against the
  // mean power of the noise segment added.
  double noise_prob = 0, snr_db_min = 5, snr_db_max = 30;
  // Noise recordings (loaded once into a NoiseBank; a random file and a
  // random start, wrapping around). Empty: seeded white, pink or brown noise.
  std::vector<std::string> noise_files;
  // VTLP: a VTLN warp factor drawn uniformly from the multiples of vtlp_step
  // in [vtlp_min, vtlp_max] (vtlp_step 0: continuous). The 0.01 grid (as
  // Kaldi's VTLN warp lists) keeps the number of distinct warps, hence of
  // mel banks built (dsp::SharedMelBanks caches them), small.
  double vtlp_min = 1, vtlp_max = 1, vtlp_step = 0.01;
  // SpecAugment: time_masks bands of [0, time_mask_max_frames] whole frames
  // and freq_masks bands of [0, freq_mask_max_bins] whole feature columns,
  // widths and positions uniform, bands may overlap. Masked cells take the
  // utterance's mean of their column (computed before masking): 0 for
  // mean-normalised features, the neutral level otherwise.
  int time_masks = 0, time_mask_max_frames = 0;
  int freq_masks = 0, freq_mask_max_bins = 0;

  void Validate() const;  // throws auris::Error naming the field
  std::string ToString() const;
};

// One utterance's random choices (identity when nothing is enabled).
struct AugmentDraws {
  double speed = 1;
  int shift_samples = 0;  // > 0: delay (zeros prepended), < 0: advance
  bool add_noise = false;
  double snr_db = 0;
  // Index into the NoiseBank, or a NoiseColour when there is no bank.
  int noise_source = 0;
  // Noise start in the file = noise_start % file length; seeds generated noise.
  std::uint64_t noise_start = 0;
  double gain_db = 0;
  double vtln_warp = 1;
  int lead_pad_samples = 0, trail_pad_samples = 0;

  std::string ToString() const;
};

// Draws everything for one utterance from rng, always the same number of
// values in the same order whatever is enabled. `noise` must be given (and
// at sample_rate_hz) when opts.noise_files is not empty.
AugmentDraws DrawAugmentation(const AugmentOptions& opts, double sample_rate_hz,
                              const NoiseBank* noise, Rng& rng);

// Applies speed, shift, noise and gain, in that order. Silence (no active
// power) or a silent noise segment gets no noise.
std::vector<float> AugmentWaveform(std::span<const float> samples, double sample_rate_hz,
                                   const AugmentDraws& draws, const NoiseBank* noise);

// Where time t_s (seconds) of the original audio lands in AugmentWaveform's
// output: scaled by 1 / speed, moved by the shift and the leading pad (an
// advance clipped to the audio's length is not modelled).
double AugmentedTime(const AugmentDraws& draws, double t_s, double sample_rate_hz);

// Features of a VTLP draw: pipeline::WithWarp(features, draws.vtln_warp).
// Throws if opts' VTLP range cannot be used with `features` (call once at start).
void ValidateVtlp(const AugmentOptions& opts, const dsp::FeatureOptions& features);

struct SpecMask {
  bool time = true;  // rows (frames); false: columns (feature bins)
  int start = 0;
  int width = 0;     // may be 0
};

// Masks `features` (frames x dims) in place; returns the masks applied,
// time masks first. Widths are clipped to the matrix.
std::vector<SpecMask> SpecAugment(Matrix& features, const AugmentOptions& opts, Rng& rng);

}  // namespace auris::train
