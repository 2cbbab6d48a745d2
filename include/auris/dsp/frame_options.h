// Framing and mel-bank options with Kaldi's defaults (src/feat/feature-window.h,
// mel-computations.h), except dither = 0 so output is deterministic unless asked.
// Frequencies and durations are float like Kaldi's BaseFloat, so the derived
// sample counts (WindowSize, WindowShift) equal Kaldi's bit for bit.
#pragma once

#include <cstdint>
#include <string>

namespace auris::dsp {

struct FrameOptions {
  float sample_frequency_hz = 16000.0f;
  float frame_shift_ms = 10.0f;
  float frame_length_ms = 25.0f;
  float dither = 0.0f;                // Gaussian noise stddev added per sample (int16 scale)
  std::uint64_t dither_seed = 0;      // seeds the per-extractor Rng when dither > 0
  float preemph_coeff = 0.97f;
  bool remove_dc_offset = true;
  std::string window_type = "povey";  // hamming|hanning|povey|rectangular|blackman
  // Window denominators use N instead of N-1 (torch.hann_window / librosa
  // "periodic" windows). Kaldi: false.
  bool periodic_window = false;
  bool round_to_power_of_two = true;
  float blackman_coeff = 0.42f;
  bool snip_edges = true;

  int WindowShift() const;       // samples
  int WindowSize() const;        // samples
  int PaddedWindowSize() const;  // FFT length
  void Validate() const;         // throws auris::Error naming the Kaldi option
  std::string ToString() const;
};

// The framing of frames that each stand for `n` consecutive frames of `f` (a
// low-frame-rate model's output frames, nn::Model's "stack"): the shift is n
// shifts and the window n - 1 shifts longer, so a frame's centre is its
// group's centre. Only for times: a feature extractor never uses it.
FrameOptions StackedFraming(FrameOptions f, int n);

struct MelOptions {
  int num_bins = 23;
  float low_freq_hz = 20.0f;
  float high_freq_hz = 0.0f;  // <= 0: offset from Nyquist
  // "mel": Kaldi's MelBanks (triangles linear in mel, FFT bins 0..N/2-1).
  // "hz": torchaudio.functional.melscale_fbanks(norm=None, mel_scale="htk"),
  //       i.e. librosa.filters.mel(htk=True, norm=None): triangles linear in
  //       Hz between mel-spaced corners, FFT bins 0..N/2.
  std::string triangles = "mel";
  // VTLN (Kaldi's --vtln-warp, --vtln-low, --vtln-high): the corners of the
  // mel triangles move by Kaldi's piecewise-linear frequency warp
  // (VtlnWarpFreq in mel_banks.h). A warp of 1 leaves the banks untouched
  // and skips every VTLN check, as in Kaldi. Only for triangles = "mel".
  float vtln_warp = 1.0f;
  float vtln_low_hz = 100.0f;    // lower inflection point of the warp
  float vtln_high_hz = -500.0f;  // upper inflection point; < 0: offset from Nyquist

  // Resolves high_freq_hz against the Nyquist frequency.
  float HighFreqHz(float sample_frequency_hz) const;
  // Resolves vtln_high_hz against the Nyquist frequency (Kaldi: only when < 0).
  float VtlnHighHz(float sample_frequency_hz) const;
  void Validate(float sample_frequency_hz) const;
  std::string ToString() const;
};

}  // namespace auris::dsp
