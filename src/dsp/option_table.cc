#include "auris/dsp/option_table.h"

#include <array>
#include <bit>
#include <charconv>
#include <cstdlib>
#include <nlohmann/json.hpp>

#include "auris/core/error.h"

namespace auris::dsp {

namespace {

template <typename T>
constexpr OptionKind KindOf() {
  if constexpr (std::is_same_v<T, bool>) return OptionKind::kBool;
  else if constexpr (std::is_integral_v<T>) return OptionKind::kInt;
  else if constexpr (std::is_floating_point_v<T>) return OptionKind::kFloat;
  else return OptionKind::kString;
}

template <typename T>
std::string Format(const T& value) {
  if constexpr (std::is_same_v<T, bool>) {
    return value ? "true" : "false";
  } else if constexpr (std::is_arithmetic_v<T>) {
    char buf[64];
    auto [end, ec] = std::to_chars(buf, buf + sizeof(buf), value);  // shortest round trip
    return std::string(buf, end);
  } else {
    return value;
  }
}

template <typename T>
T Parse(std::string_view name, const std::string& text) {
  auto bad = [&](const char* expected) {
    return MakeError("--", name, ": invalid value '", text, "' (expected ", expected, ")");
  };
  if constexpr (std::is_same_v<T, bool>) {
    if (text == "true" || text == "1") return true;
    if (text == "false" || text == "0") return false;
    throw bad("true or false");
  } else if constexpr (std::is_arithmetic_v<T>) {
    T value{};
    const char* first = text.data();
    const char* last = first + text.size();
    if (!text.empty() && text[0] == '+') ++first;
    auto [end, ec] = std::from_chars(first, last, value);
    if (ec != std::errc() || end != last || first == last)
      throw bad(std::is_integral_v<T> ? "an integer" : "a number");
    return value;
  } else {
    return text;
  }
}

class Emitter {
 public:
  Emitter(FeatureOptions& opts, const std::function<void(const OptionRef&)>& visit)
      : active_(TypeIndex(opts.type)), visit_(visit) {}

  // targets: the field in the mfcc, fbank, spectrogram and plp structs (or null).
  template <typename T>
  void operator()(std::string_view name, std::string_view help, std::array<T*, 4> targets) const {
    unsigned types = 0;
    T* current = nullptr;  // the selected type's field, else the first one
    for (int i = kNumTypes - 1; i >= 0; --i) {
      if (targets[i] == nullptr) continue;
      types |= 1u << i;
      current = targets[i];
    }
    if (targets[active_] != nullptr) current = targets[active_];
    visit_(OptionRef{name, help, KindOf<T>(), types, Format(*current),
                     [name, targets](const std::string& text) {
                       const T value = Parse<T>(name, text);
                       for (T* t : targets)
                         if (t != nullptr) *t = value;
                     }});
  }

 private:
  static constexpr int kNumTypes = 4;  // bit i of OptionRef::types = targets[i]
  static int TypeIndex(const std::string& type) { return std::countr_zero(TypeBit(type)); }
  int active_;
  const std::function<void(const OptionRef&)>& visit_;
};

}  // namespace

unsigned TypeBit(const std::string& type) {
  if (type == "mfcc") return kMfccBit;
  if (type == "fbank") return kFbankBit;
  if (type == "spectrogram") return kSpectrogramBit;
  if (type == "plp") return kPlpBit;
  throw MakeError("--type (", type, ") must be mfcc, fbank, spectrogram or plp");
}

void ForEachOption(FeatureOptions& o, const std::function<void(const OptionRef&)>& visit) {
  visit(OptionRef{"type", "Feature type: mfcc, fbank, spectrogram or plp", OptionKind::kString,
                  kMfccBit | kFbankBit | kSpectrogramBit | kPlpBit, o.type,
                  [&o](const std::string& text) {
                    TypeBit(text);
                    o.type = text;
                  }});
  const Emitter emit(o, visit);
  auto frame = [&](auto member) {
    return std::array{&(o.mfcc.frame.*member), &(o.fbank.frame.*member),
                      &(o.spectrogram.frame.*member), &(o.plp.frame.*member)};
  };
  auto mel = [&](auto member) {
    return std::array{&(o.mfcc.mel.*member), &(o.fbank.mel.*member),
                      static_cast<std::remove_reference_t<decltype(o.mfcc.mel.*member)>*>(nullptr),
                      &(o.plp.mel.*member)};
  };
  using F = FrameOptions;
  using M = MelOptions;
  emit("sample-frequency", "Waveform sample frequency in Hz; audio must match",
       frame(&F::sample_frequency_hz));
  emit("frame-length", "Frame length in milliseconds", frame(&F::frame_length_ms));
  emit("frame-shift", "Frame shift in milliseconds", frame(&F::frame_shift_ms));
  emit("dither", "Dithering constant (0 = none; Kaldi's default is 1)", frame(&F::dither));
  emit("dither-seed", "Seed of the dither noise (auris)", frame(&F::dither_seed));
  emit("preemphasis-coefficient", "Coefficient for use in signal preemphasis",
       frame(&F::preemph_coeff));
  emit("remove-dc-offset", "Subtract mean from waveform on each frame",
       frame(&F::remove_dc_offset));
  emit("window-type", "Window type: hamming|hanning|povey|rectangular|blackman",
       frame(&F::window_type));
  emit("periodic-window", "Periodic (N) instead of symmetric (N-1) window (auris; librosa-style)",
       frame(&F::periodic_window));
  emit("blackman-coeff", "Constant coefficient for generalized Blackman window",
       frame(&F::blackman_coeff));
  emit("round-to-power-of-two", "Pad the FFT to the next power of two",
       frame(&F::round_to_power_of_two));
  emit("snip-edges",
       "Only output frames that fit in the file (false: frames depend only on the shift, "
       "edges reflected)",
       frame(&F::snip_edges));
  emit("num-mel-bins", "Number of triangular mel-frequency bins", mel(&M::num_bins));
  emit("low-freq", "Low cutoff frequency for mel bins (Hz)", mel(&M::low_freq_hz));
  emit("high-freq", "High cutoff frequency for mel bins (Hz; <= 0: offset from Nyquist)",
       mel(&M::high_freq_hz));
  emit("mel-triangles",
       "mel: Kaldi filters (linear in mel); hz: torchaudio/librosa htk filters (linear in Hz) "
       "(auris)",
       mel(&M::triangles));
  emit("vtln-warp",
       "VTLN warp factor (1 = none): moves the mel filters by Kaldi's piecewise-linear warp",
       mel(&M::vtln_warp));
  emit("vtln-low", "Low inflection point in piecewise linear VTLN warping function (Hz)",
       mel(&M::vtln_low_hz));
  emit("vtln-high",
       "High inflection point in piecewise linear VTLN warping function (Hz; < 0: offset "
       "from Nyquist)",
       mel(&M::vtln_high_hz));
  emit("num-ceps", "Number of cepstra in MFCC or PLP computation (including C0)",
       std::array<int*, 4>{&o.mfcc.num_ceps, nullptr, nullptr, &o.plp.num_ceps});
  emit("use-energy",
       "Use energy (not C0) in MFCC / PLP; add an energy column to fbank (default: true for "
       "mfcc and plp, false for fbank)",
       std::array<bool*, 4>{&o.mfcc.use_energy, &o.fbank.use_energy, nullptr, &o.plp.use_energy});
  emit("energy-floor", "Floor on energy (absolute, not relative); 0 = none",
       std::array{&o.mfcc.energy_floor, &o.fbank.energy_floor, &o.spectrogram.energy_floor,
                  &o.plp.energy_floor});
  emit("raw-energy", "Compute energy before preemphasis and windowing",
       std::array{&o.mfcc.raw_energy, &o.fbank.raw_energy, &o.spectrogram.raw_energy,
                  &o.plp.raw_energy});
  emit("cepstral-lifter",
       "Constant that controls scaling of MFCCs / PLPs (0 = none; a whole number for plp)",
       std::array<float*, 4>{&o.mfcc.cepstral_lifter, nullptr, nullptr, &o.plp.cepstral_lifter});
  emit("htk-compat",
       "Put energy or C0 last, as HTK (MFCC: C0 unscaled; not sufficient for HTK-equal "
       "features)",
       std::array<bool*, 4>{&o.mfcc.htk_compat, &o.fbank.htk_compat, nullptr, &o.plp.htk_compat});
  emit("lpc-order", "Order of LPC analysis in PLP computation",
       std::array<int*, 4>{nullptr, nullptr, nullptr, &o.plp.lpc_order});
  emit("compress-factor", "Compression factor in PLP computation (power applied to loudness)",
       std::array<float*, 4>{nullptr, nullptr, nullptr, &o.plp.compress_factor});
  emit("cepstral-scale", "Scaling constant in PLP computation",
       std::array<float*, 4>{nullptr, nullptr, nullptr, &o.plp.cepstral_scale});
  emit("use-log-fbank", "Output log filterbank energies (else linear)",
       std::array<bool*, 4>{nullptr, &o.fbank.use_log_fbank, nullptr, nullptr});
  emit("use-power", "Use power (else magnitude) spectrum for filterbanks",
       std::array<bool*, 4>{nullptr, &o.fbank.use_power, nullptr, nullptr});
  emit("log-offset",
       "0: log(max(mel, FLT_EPSILON)) as Kaldi; > 0: log(mel + offset) as torchaudio "
       "log_mels (auris)",
       std::array<float*, 4>{&o.mfcc.log_offset, &o.fbank.log_offset, nullptr, nullptr});
}

std::map<std::string, std::string> ToMap(const FeatureOptions& opts) {
  FeatureOptions copy = opts;
  const unsigned active = TypeBit(opts.type);
  std::map<std::string, std::string> out;
  ForEachOption(copy, [&](const OptionRef& ref) {
    if (ref.types & active) out.emplace(std::string(ref.name), ref.value);
  });
  return out;
}

FeatureOptions FromMap(const std::map<std::string, std::string>& values) {
  FeatureOptions opts;
  if (auto it = values.find("type"); it != values.end()) {
    TypeBit(it->second);
    opts.type = it->second;
  }
  std::map<std::string, std::function<void(const std::string&)>, std::less<>> setters;
  ForEachOption(opts, [&](const OptionRef& ref) { setters.emplace(ref.name, ref.set); });
  for (const auto& [name, value] : values) {
    auto it = setters.find(name);
    if (it == setters.end()) throw MakeError("unknown feature option --", name);
    it->second(value);
  }
  opts.Validate();
  return opts;
}

std::string ToJson(const FeatureOptions& opts) {
  FeatureOptions copy = opts;
  const unsigned active = TypeBit(opts.type);
  nlohmann::ordered_json json = nlohmann::ordered_json::object();
  ForEachOption(copy, [&](const OptionRef& ref) {
    if (!(ref.types & active)) return;
    const std::string key(ref.name);
    switch (ref.kind) {
      case OptionKind::kBool: json[key] = ref.value == "true"; break;
      case OptionKind::kInt:  // the text is a valid JSON number
      case OptionKind::kFloat: json[key] = nlohmann::ordered_json::parse(ref.value); break;
      case OptionKind::kString: json[key] = ref.value; break;
    }
  });
  return json.dump();
}

FeatureOptions FromJson(const std::string& text) {
  nlohmann::json json;
  try {
    json = nlohmann::json::parse(text);
  } catch (const nlohmann::json::exception& e) {
    throw MakeError("feature options: invalid JSON: ", e.what());
  }
  if (!json.is_object()) throw Error("feature options: JSON must be an object");
  std::map<std::string, std::string> values;
  for (const auto& [key, value] : json.items()) {
    if (value.is_string()) values[key] = value.get<std::string>();
    else if (value.is_boolean()) values[key] = value.get<bool>() ? "true" : "false";
    else if (value.is_number()) values[key] = value.dump();
    else throw MakeError("feature options: --", key, " has a non-scalar JSON value");
  }
  return FromMap(values);
}

void ApplyPreset(const std::string& name, FeatureOptions* opts) {
  if (name == "kaldi") {
    FeatureOptions defaults;
    defaults.type = opts->type;
    *opts = defaults;
    return;
  }
  if (name != "librosa") throw MakeError("--preset (", name, ") must be kaldi or librosa");
  if (opts->type == "plp") throw Error("--preset librosa has no PLP (torchaudio/librosa compute none)");
  for (FrameOptions* f : {&opts->mfcc.frame, &opts->fbank.frame, &opts->spectrogram.frame}) {
    f->dither = 0.0f;
    f->preemph_coeff = 0.0f;
    f->remove_dc_offset = false;
    f->window_type = "hanning";
    f->periodic_window = true;
    f->round_to_power_of_two = false;
    f->snip_edges = true;
  }
  for (MelOptions* m : {&opts->mfcc.mel, &opts->fbank.mel}) {
    m->num_bins = 40;
    m->low_freq_hz = 0.0f;
    m->high_freq_hz = 0.0f;
    m->triangles = "hz";
  }
  opts->mfcc.num_ceps = 13;
  opts->mfcc.use_energy = false;
  opts->mfcc.cepstral_lifter = 0.0f;
  opts->mfcc.htk_compat = false;
  opts->mfcc.log_offset = 1e-6f;
  opts->fbank.use_energy = false;
  opts->fbank.htk_compat = false;
  opts->fbank.use_log_fbank = true;
  opts->fbank.use_power = true;
  opts->fbank.log_offset = 1e-6f;
}

}  // namespace auris::dsp
