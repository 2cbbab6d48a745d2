// Option validation (errors name the Kaldi flag), the option table the CLI
// registers flags from, (de)serialisation and presets.
#include <map>
#include <set>
#include <string>

#include "auris/dsp/feature_extractor.h"
#include "auris/dsp/option_table.h"
#include "test_support.h"

namespace auris::dsp {
namespace {

std::string ErrorOf(const std::function<void()>& f) {
  try {
    f();
  } catch (const Error& e) {
    return e.what();
  }
  return "<no error>";
}

std::map<std::string, OptionRef> Table(FeatureOptions& o) {
  std::map<std::string, OptionRef> t;
  ForEachOption(o, [&](const OptionRef& r) { t.emplace(std::string(r.name), r); });
  return t;
}

TEST_CASE("bad options throw auris::Error naming the Kaldi option") {
  struct Bad {
    const char* type;
    std::map<std::string, std::string> set;
    const char* expected;
  };
  const Bad cases[] = {
      {"mfcc", {{"num-ceps", "40"}}, "--num-ceps (40) must be <= --num-mel-bins (23)"},
      {"mfcc", {{"num-ceps", "0"}}, "--num-ceps (0) must be >= 1"},
      {"mfcc", {{"cepstral-lifter", "-1"}}, "--cepstral-lifter"},
      {"fbank", {{"num-mel-bins", "2"}}, "--num-mel-bins (2) must be >= 3"},
      {"fbank", {{"window-type", "kaiser"}}, "--window-type (kaiser)"},
      {"fbank", {{"high-freq", "9000"}}, "--high-freq (9000"},
      {"fbank", {{"high-freq", "-8000"}}, "--high-freq (-8000"},
      {"fbank", {{"low-freq", "500"}, {"high-freq", "400"}}, "--high-freq (400"},
      {"mfcc", {{"low-freq", "-1"}}, "--low-freq (-1)"},
      {"mfcc", {{"low-freq", "8000"}}, "--low-freq (8000)"},
      {"spectrogram", {{"frame-length", "0.1"}}, "--frame-length (0.1 ms)"},
      {"spectrogram", {{"frame-shift", "0"}}, "--frame-shift (0 ms)"},
      {"spectrogram", {{"sample-frequency", "0"}}, "--sample-frequency (0)"},
      {"spectrogram", {{"round-to-power-of-two", "false"}, {"frame-length", "25.0625"}},
       "odd FFT size (401)"},
      {"mfcc", {{"dither", "-1"}}, "--dither (-1)"},
      {"mfcc", {{"preemphasis-coefficient", "1.5"}}, "--preemphasis-coefficient (1.5)"},
      {"fbank", {{"energy-floor", "-2"}}, "--energy-floor (-2)"},
      {"fbank", {{"mel-triangles", "slaney"}}, "--mel-triangles (slaney)"},
      {"mfcc", {{"log-offset", "-1"}}, "--log-offset (-1)"},
      {"mfcc", {{"num-ceps", "abc"}}, "--num-ceps: invalid value 'abc'"},
      {"mfcc", {{"snip-edges", "maybe"}}, "--snip-edges: invalid value 'maybe'"},
      {"mfcc", {{"frame-length", "25ms"}}, "--frame-length: invalid value '25ms'"},
      {"mfcc", {{"no-such-option", "1"}}, "unknown feature option --no-such-option"},
      {"wavelet", {}, "--type (wavelet) must be mfcc, fbank, spectrogram or plp"},
      {"plp", {{"num-ceps", "14"}}, "--num-ceps (14) must be <= --lpc-order + 1 (13) for PLP"},
      {"plp", {{"lpc-order", "4"}}, "--num-ceps (13) must be <= --lpc-order + 1 (5)"},
      {"plp", {{"lpc-order", "0"}}, "--lpc-order (0) must be >= 1"},
      {"plp", {{"num-ceps", "0"}}, "--num-ceps (0) must be >= 1"},
      {"plp", {{"compress-factor", "0"}}, "--compress-factor (0) must be > 0"},
      {"plp", {{"compress-factor", "nan"}}, "--compress-factor (nan) must be > 0"},
      {"plp", {{"cepstral-lifter", "22.5"}}, "--cepstral-lifter (22.5) must be a whole number"},
      {"plp", {{"cepstral-lifter", "-1"}}, "--cepstral-lifter (-1) must be a whole number >= 0"},
      {"plp", {{"cepstral-scale", "inf"}}, "--cepstral-scale (inf) must be finite"},
      {"plp", {{"lpc-order", "12.5"}}, "--lpc-order: invalid value '12.5'"},
      {"plp", {{"num-mel-bins", "2"}}, "--num-mel-bins (2) must be >= 3"},
      {"plp", {{"energy-floor", "-1"}}, "--energy-floor (-1)"},
      {"mfcc", {{"lpc-order", "abc"}}, "--lpc-order: invalid value 'abc'"},
      // Too many bins for a 256-point FFT at 8 kHz: a filter covers no FFT bin.
      {"fbank", {{"sample-frequency", "8000"}, {"num-mel-bins", "120"}}, "--num-mel-bins (120) too large"},
  };
  for (const Bad& c : cases) {
    std::map<std::string, std::string> values = c.set;
    values["type"] = c.type;
    INFO(c.expected);
    const std::string message = ErrorOf([&] {
      const FeatureOptions o = FromMap(values);
      OnlineFeatureExtractor extractor(o);  // builds mel banks
    });
    CHECK(message.find(c.expected) != std::string::npos);
  }
  // Computers validate on construction too.
  MfccOptions bad;
  bad.num_ceps = 30;
  CHECK(ErrorOf([&] { MfccComputer c(bad); }).find("--num-ceps (30)") != std::string::npos);
}

TEST_CASE("the option table lists every Kaldi flag with Kaldi's defaults") {
  FeatureOptions o;
  auto t = Table(o);
  const std::map<std::string, std::string> kaldi_defaults = {
      {"sample-frequency", "16000"}, {"frame-length", "25"}, {"frame-shift", "10"},
      {"dither", "0"}, {"preemphasis-coefficient", "0.97"}, {"remove-dc-offset", "true"},
      {"window-type", "povey"}, {"blackman-coeff", "0.42"}, {"round-to-power-of-two", "true"},
      {"snip-edges", "true"}, {"num-mel-bins", "23"}, {"low-freq", "20"}, {"high-freq", "0"},
      {"num-ceps", "13"}, {"use-energy", "true"}, {"energy-floor", "0"}, {"raw-energy", "true"},
      {"cepstral-lifter", "22"}, {"htk-compat", "false"}, {"use-log-fbank", "true"},
      {"use-power", "true"}, {"type", "mfcc"}};
  for (const auto& [name, value] : kaldi_defaults) {
    INFO(name);
    REQUIRE(t.count(name) == 1);
    CHECK(t.at(name).value == value);
    CHECK(!t.at(name).help.empty());
  }
  CHECK(t.at("num-ceps").kind == OptionKind::kInt);
  CHECK(t.at("snip-edges").kind == OptionKind::kBool);
  CHECK(t.at("low-freq").kind == OptionKind::kFloat);
  CHECK(t.at("num-ceps").types == (kMfccBit | kPlpBit));
  CHECK(t.at("use-power").types == kFbankBit);
  CHECK(t.at("lpc-order").types == kPlpBit);
  CHECK(t.at("compress-factor").value == "0.33333");
  CHECK(t.at("frame-length").types == (kMfccBit | kFbankBit | kSpectrogramBit | kPlpBit));
  // The value shown is the selected type's: fbank has no energy by default.
  o.type = "fbank";
  CHECK(Table(o).at("use-energy").value == "false");
  // A setter writes every type's struct that has the option.
  t.at("frame-length").set("30");
  t.at("use-energy").set("false");
  CHECK(o.mfcc.frame.frame_length_ms == 30.0f);
  CHECK(o.fbank.frame.frame_length_ms == 30.0f);
  CHECK(o.spectrogram.frame.frame_length_ms == 30.0f);
  CHECK(o.plp.frame.frame_length_ms == 30.0f);
  CHECK(!o.mfcc.use_energy);
  CHECK(!o.plp.use_energy);
}

TEST_CASE("options round-trip through key=value maps and JSON") {
  for (const char* type : {"mfcc", "fbank", "spectrogram", "plp"}) {
    FeatureOptions o;
    o.type = type;
    auto t = Table(o);
    t.at("sample-frequency").set("22050");
    t.at("frame-shift").set("12.5");
    t.at("window-type").set("hamming");
    t.at("snip-edges").set("false");
    t.at("energy-floor").set("0.1");
    if (o.type != "spectrogram") {
      t.at("num-mel-bins").set("30");
      t.at("high-freq").set("-400");
    }
    if (o.type == "mfcc") t.at("num-ceps").set("20");
    if (o.type == "fbank") t.at("use-power").set("false");
    if (o.type == "plp") {
      t.at("lpc-order").set("14");
      t.at("num-ceps").set("15");
      t.at("compress-factor").set("0.5");
      t.at("cepstral-scale").set("2");
    }
    const auto map = ToMap(o);
    CHECK(map.at("type") == type);
    CHECK(map.count("use-power") == (o.type == "fbank" ? 1u : 0u));
    const FeatureOptions back = FromMap(map);
    CHECK(back.ToString() == o.ToString());
    CHECK(back.Dim() == o.Dim());
    const std::string json = ToJson(o);
    const FeatureOptions from_json = FromJson(json);
    CHECK(from_json.ToString() == o.ToString());
    CHECK(ToJson(from_json) == json);
  }
  // Typed JSON values as a model file would carry them.
  const FeatureOptions o =
      FromJson(R"({"type": "mfcc", "num-ceps": 20, "snip-edges": false, "low-freq": 40.5})");
  CHECK(o.mfcc.num_ceps == 20);
  CHECK(!o.mfcc.frame.snip_edges);
  CHECK(o.mfcc.mel.low_freq_hz == 40.5f);
  FeatureOptions big;
  big.mfcc.frame.dither_seed = 18446744073709551615ull;
  CHECK(FromJson(ToJson(big)).mfcc.frame.dither_seed == 18446744073709551615ull);
  CHECK(ErrorOf([] { FromJson("[1, 2]"); }).find("object") != std::string::npos);
  CHECK(ErrorOf([] { FromJson("{"); }).find("invalid JSON") != std::string::npos);
}

TEST_CASE("presets") {
  FeatureOptions o;
  o.type = "fbank";
  ApplyPreset("librosa", &o);
  CHECK(o.type == "fbank");
  CHECK(o.fbank.frame.window_type == "hanning");
  CHECK(o.fbank.frame.periodic_window);
  CHECK(!o.fbank.frame.round_to_power_of_two);
  CHECK(o.fbank.frame.preemph_coeff == 0.0f);
  CHECK(!o.fbank.frame.remove_dc_offset);
  CHECK(o.fbank.mel.triangles == "hz");
  CHECK(o.fbank.mel.num_bins == 40);
  CHECK(o.fbank.mel.low_freq_hz == 0.0f);
  CHECK(o.mfcc.cepstral_lifter == 0.0f);
  CHECK(!o.mfcc.use_energy);
  CHECK(o.mfcc.log_offset == 1e-6f);
  o.Validate();
  ApplyPreset("kaldi", &o);
  CHECK(o.ToString() == [] {
    FeatureOptions d;
    d.type = "fbank";
    return d.ToString();
  }());
  CHECK(ErrorOf([&] { ApplyPreset("htk", &o); }).find("--preset (htk)") != std::string::npos);
  // PLP has no librosa counterpart; "kaldi" resets it like the other types.
  o.type = "plp";
  CHECK(ErrorOf([&] { ApplyPreset("librosa", &o); }).find("--preset librosa has no PLP") !=
        std::string::npos);
  o.plp.lpc_order = 20;
  ApplyPreset("kaldi", &o);
  CHECK(o.plp.lpc_order == 12);
}

}  // namespace
}  // namespace auris::dsp
