// Per-feature-type options (Kaldi's MfccOptions, FbankOptions,
// SpectrogramOptions, PlpOptions) and FeatureOptions, which selects one type
// by name.
#pragma once

#include <string>

#include "auris/dsp/frame_options.h"

namespace auris::dsp {

struct MfccOptions {
  FrameOptions frame;
  MelOptions mel;
  int num_ceps = 13;
  bool use_energy = true;
  float energy_floor = 0.0f;
  bool raw_energy = true;
  float cepstral_lifter = 22.0f;
  bool htk_compat = false;
  // 0: Kaldi's log(max(mel, FLT_EPSILON)); > 0: log(mel + log_offset) as
  // torchaudio.transforms.MFCC(log_mels=True) does with 1e-6.
  float log_offset = 0.0f;

  int Dim() const { return num_ceps; }
  void Validate() const;
  std::string ToString() const;
};

struct FbankOptions {
  FrameOptions frame;
  MelOptions mel;
  bool use_energy = false;
  float energy_floor = 0.0f;
  bool raw_energy = true;
  bool htk_compat = false;
  bool use_log_fbank = true;
  bool use_power = true;
  float log_offset = 0.0f;  // as MfccOptions::log_offset

  int Dim() const { return mel.num_bins + (use_energy ? 1 : 0); }
  void Validate() const;
  std::string ToString() const;
};

struct SpectrogramOptions {
  FrameOptions frame;
  float energy_floor = 0.0f;
  bool raw_energy = true;

  int Dim() const { return frame.PaddedWindowSize() / 2 + 1; }
  void Validate() const;
  std::string ToString() const;
};

// Kaldi's PlpOptions (feat/feature-plp.h), with its defaults.
struct PlpOptions {
  FrameOptions frame;
  MelOptions mel;
  int lpc_order = 12;
  int num_ceps = 13;  // including C0; at most lpc_order + 1
  bool use_energy = true;
  float energy_floor = 0.0f;
  bool raw_energy = true;
  float compress_factor = 0.33333f;  // Kaldi's default (not exactly 1/3)
  // Kaldi reads an integer here (int32 in PlpOptions); Validate requires a
  // whole number so a value Kaldi would reject is rejected too.
  float cepstral_lifter = 22.0f;
  float cepstral_scale = 1.0f;
  bool htk_compat = false;  // energy / C0 last; unlike MFCC, C0 is not rescaled

  int Dim() const { return num_ceps; }
  void Validate() const;
  std::string ToString() const;
};

// The complete feature configuration a model or a CLI run carries. Only the
// struct named by `type` is used; option_table.h maps Kaldi flag names onto it.
struct FeatureOptions {
  std::string type = "mfcc";  // mfcc|fbank|spectrogram|plp
  MfccOptions mfcc;
  FbankOptions fbank;
  SpectrogramOptions spectrogram;
  PlpOptions plp;

  const FrameOptions& Frame() const;  // frame options of the selected type
  // Every type's frame / mel options, for settings that must follow the
  // selected type whichever it is (per-utterance dither seeds, VTLN warps).
  template <class F>
  void ForEachFrame(F&& f) {
    for (FrameOptions* frame : {&mfcc.frame, &fbank.frame, &spectrogram.frame, &plp.frame})
      f(*frame);
  }
  template <class F>
  void ForEachMel(F&& f) {
    for (MelOptions* mel : {&mfcc.mel, &fbank.mel, &plp.mel}) f(*mel);
  }
  int Dim() const;
  void Validate() const;
  std::string ToString() const;  // "--type=mfcc --sample-frequency=16000 ..."
};

}  // namespace auris::dsp
