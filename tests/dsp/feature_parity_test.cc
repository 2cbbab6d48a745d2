// auris MFCC / fbank / spectrogram against torchaudio (Kaldi-compatible
// torchaudio.compliance.kaldi and, for the librosa preset,
// torchaudio.transforms), on the exact samples tests/reference/make_features.py
// saved. Tolerance rule: feature_compare.h.
#include <nlohmann/json.hpp>

#include <map>
#include <string>

#include "auris/dsp/feature_extractor.h"
#include "auris/dsp/option_table.h"
#include "auris/io/npy.h"
#include "feature_compare.h"
#include "test_support.h"

namespace auris::dsp {
namespace {

FeatureOptions OptionsFor(const nlohmann::json& c) {
  std::map<std::string, std::string> values;
  for (const auto& [k, v] : c["options"].items()) values[k] = v.get<std::string>();
  const std::string preset = c["preset"];
  if (preset.empty()) {
    values["type"] = c["type"];
    return FromMap(values);  // starts from Kaldi defaults
  }
  FeatureOptions opts;
  opts.type = c["type"];
  ApplyPreset(preset, &opts);
  std::map<std::string, std::function<void(const std::string&)>> setters;
  ForEachOption(opts, [&](const OptionRef& ref) { setters[std::string(ref.name)] = ref.set; });
  for (const auto& [k, v] : values) setters.at(k)(v);
  opts.Validate();
  return opts;
}

TEST_CASE("features match torchaudio on the reference grid") {
  AURIS_REQUIRE_REF(manifest_path, "features/manifest.json");
  const std::string dir = test::RefDir() + "/features/";
  const auto manifest = nlohmann::json::parse(test::ReadFile(manifest_path));
  REQUIRE(manifest.size() >= 80);
  int relaxed = 0, kaldi_cases = 0, librosa_cases = 0;
  double worst_abs = 0;
  std::map<std::string, int> rates;
  for (const auto& c : manifest) {
    const std::string name = c["name"];
    INFO("case " << name << " options " << c["options"].dump());
    const io::NpyArray signal = io::ReadNpy(dir + "signals/" + std::string(c["signal"]) + ".npy");
    std::vector<float> samples(signal.values.begin(), signal.values.end());
    const FeatureOptions opts = OptionsFor(c);
    const Matrix ours = ComputeFeatures(opts, samples.data(), samples.size());
    const MatrixD ref64 = io::ReadNpy(dir + name + "_f64.npy").ToMatrixD();
    const MatrixD f32_error = io::ReadNpy(dir + name + "_f32err.npy").ToMatrixD();
    const auto cmp = test::CompareFeatures(ours, ref64, f32_error, c["linear"], test::tol::kFeatureGridFloat32ErrorFactor);
    INFO(cmp.worst);
    CHECK(cmp.ok);
    CHECK(ours.rows() > 0);
    relaxed += cmp.used_float32_allowance;
    if (!c["linear"].get<bool>()) worst_abs = std::max(worst_abs, cmp.max_error);
    (std::string(c["preset"]).empty() ? kaldi_cases : librosa_cases)++;
    rates[std::to_string(c["rate"].get<int>())]++;
  }
  CHECK(rates.size() == 5);
  CHECK(librosa_cases >= 4);
  MESSAGE(kaldi_cases << " Kaldi + " << librosa_cases << " librosa cases; worst abs error (log "
                      << "domain) " << worst_abs << "; " << relaxed
                      << " cases needed the float32 allowance");
}

}  // namespace
}  // namespace auris::dsp
