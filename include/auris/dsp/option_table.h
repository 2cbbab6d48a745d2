// One table of every feature option under its Kaldi flag name, so the CLI,
// model metadata (JSON / key=value) and presets share a single list.
#pragma once

#include <functional>
#include <map>
#include <string>
#include <string_view>

#include "auris/dsp/feature_options.h"

namespace auris::dsp {

enum class OptionKind { kBool, kInt, kFloat, kString };

// Bit per feature type in OptionRef::types.
inline constexpr unsigned kMfccBit = 1, kFbankBit = 2, kSpectrogramBit = 4, kPlpBit = 8;

struct OptionRef {
  std::string_view name;  // Kaldi flag name without "--", e.g. "num-ceps"
  std::string_view help;
  OptionKind kind;
  unsigned types;                // feature types the option applies to (bits above)
  std::string value;             // current value (of the selected type) as text
  // Parses text ("true"/"false"/"1"/"0" for bools) and stores it in every
  // type's struct that has the option; throws auris::Error naming the option.
  std::function<void(const std::string&)> set;
};

// Calls `visit` once per option, in a fixed order; `type` comes first. The
// `set` functions write into `opts`, which must outlive them (a CLI can keep
// them as flag callbacks). Registering every OptionRef as "--<name>" with
// default `value` and `help` gives Kaldi's command line.
void ForEachOption(FeatureOptions& opts, const std::function<void(const OptionRef&)>& visit);

unsigned TypeBit(const std::string& type);  // throws for an unknown type

// The options that apply to opts.type, plus "type", as name -> text.
std::map<std::string, std::string> ToMap(const FeatureOptions& opts);
// Defaults, then `type`, then every entry; unknown names throw auris::Error.
// The result is validated.
FeatureOptions FromMap(const std::map<std::string, std::string>& values);

// JSON object {"type": "mfcc", "num-ceps": 13, ...} with typed values.
std::string ToJson(const FeatureOptions& opts);
FeatureOptions FromJson(const std::string& json);

// "kaldi": the defaults.
// "librosa": fbank = log(torchaudio.transforms.MelSpectrogram(...) + 1e-6) and
// mfcc = torchaudio.transforms.MFCC(log_mels=True, dct_type=2, norm="ortho")
// with n_fft = win_length = frame length (no power-of-two padding),
// hop_length = frame shift, window_fn = torch.hann_window (periodic),
// center=False, power=2, norm=None, mel_scale="htk", f_min=0,
// f_max=Nyquist, n_mels=40, n_mfcc=13; no dither, DC removal, pre-emphasis,
// energy or liftering. That is mel filters triangular in Hz between HTK-mel
// spaced corners without Slaney area normalisation (librosa's htk=True,
// norm=None), not Kaldi's. Samples stay in int16 scale (the 1e-6 offset is
// tiny against int16-scale energies). The frame length must give an even
// sample count (25 ms at 16, 44.1, 48 kHz; not at 22.05 kHz). Checked against
// torchaudio by tests/dsp/feature_parity_test.cc (cases l*).
// The spectrogram type only takes the frame settings; PLP has no librosa
// counterpart, so "librosa" with type plp throws.
// Keeps opts->type; sets the fields of the mfcc, fbank and spectrogram structs.
void ApplyPreset(const std::string& name, FeatureOptions* opts);

}  // namespace auris::dsp
