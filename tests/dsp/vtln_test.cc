// VTLN warping of the mel banks (Kaldi's --vtln-warp / --vtln-low /
// --vtln-high) against torchaudio.compliance.kaldi, on the samples
// tests/reference/make_vtln.py saved. Tolerance rule: feature_compare.h.
#include <nlohmann/json.hpp>

#include <cmath>
#include <map>
#include <string>
#include <thread>

#include "auris/dsp/feature_extractor.h"
#include "auris/dsp/mel_banks.h"
#include "auris/dsp/option_table.h"
#include "auris/io/npy.h"
#include "feature_compare.h"
#include "test_support.h"

namespace auris::dsp {
namespace {

std::string ErrorOf(const std::map<std::string, std::string>& values) {
  try {
    const FeatureOptions o = FromMap(values);
    OnlineFeatureExtractor extractor(o);
  } catch (const Error& e) {
    return e.what();
  }
  return "<no error>";
}

// FFT bin of a filter's first nonzero weight (filters are zero-padded).
int FirstNonzeroBin(const MelBanks::Filter& filter) {
  int k = 0;
  while (filter.weights[k] == 0.0f) ++k;
  return filter.first_fft_bin + k;
}

TEST_CASE("VTLN-warped features match torchaudio.compliance.kaldi") {
  AURIS_REQUIRE_REF(manifest_path, "vtln/manifest.json");
  const std::string dir = test::RefDir() + "/vtln/";
  const auto manifest = nlohmann::json::parse(test::ReadFile(manifest_path));
  REQUIRE(manifest.size() >= 12);
  std::map<std::string, int> warps;
  double worst = 0;
  for (const auto& c : manifest) {
    const std::string name = c["name"];
    INFO("case " << name << " options " << c["options"].dump());
    std::map<std::string, std::string> values;
    for (const auto& [k, v] : c["options"].items()) values[k] = v.get<std::string>();
    values["type"] = c["type"];
    const FeatureOptions opts = FromMap(values);
    const io::NpyArray signal = io::ReadNpy(dir + "signals/" + std::string(c["signal"]) + ".npy");
    const std::vector<float> samples(signal.values.begin(), signal.values.end());
    const Matrix ours = ComputeFeatures(opts, samples.data(), samples.size());
    const MatrixD ref64 = io::ReadNpy(dir + name + "_f64.npy").ToMatrixD();
    const MatrixD f32_error = io::ReadNpy(dir + name + "_f32err.npy").ToMatrixD();
    const auto cmp = test::CompareFeatures(ours, ref64, f32_error, false);
    INFO(cmp.worst);
    CHECK(cmp.ok);
    worst = std::max(worst, cmp.max_error);
    warps[values.at("vtln-warp")]++;
    // The warp really changed the features: warp 1 differs by more than the tolerance.
    values["vtln-warp"] = "1";
    const Matrix unwarped = ComputeFeatures(FromMap(values), samples.data(), samples.size());
    CHECK((unwarped - ours).cwiseAbs().maxCoeff() > 0.1f);
  }
  CHECK(warps.size() == 4);  // 0.85, 0.92, 1.1, 1.2
  MESSAGE(manifest.size() << " VTLN cases; worst abs error " << worst);
}

TEST_CASE("VtlnWarpFreq equals torchaudio's vtln_warp_freq") {
  AURIS_REQUIRE_REF(path, "vtln/vtln_warp_freq.json");
  const auto grids = nlohmann::json::parse(test::ReadFile(path));
  REQUIRE(grids.size() >= 8);
  double worst = 0;
  for (const auto& g : grids) {
    const std::vector<double> freq = g["freq"], warped = g["warped"];
    for (std::size_t i = 0; i < freq.size(); ++i) {
      const float ours = VtlnWarpFreq(g["vtln_low"], g["vtln_high"], g["low"], g["high"],
                                      g["warp"], static_cast<float>(freq[i]));
      const double rel = std::abs(ours - warped[i]) / std::max(1.0, std::abs(warped[i]));
      INFO("warp " << g["warp"] << " freq " << freq[i] << " ours " << ours << " ref " << warped[i]);
      CHECK(rel <= test::tol::kVtlnWarpFreqRel);
      worst = std::max(worst, rel);
    }
  }
  MESSAGE("VtlnWarpFreq worst relative error " << worst);
}

TEST_CASE("VtlnWarpFreq: hand-checked points of Kaldi's piecewise-linear warp") {
  // low 0, high 8000, vtln-low 100, vtln-high 7500, warp 1.25:
  // l = 125, h = 7500, scale = 0.8; below l: 0.8 f (Fl = 100);
  // above h: 8000 + (8000 - 6000) / 500 * (f - 8000).
  auto w = [](float f) { return VtlnWarpFreq(100, 7500, 0, 8000, 1.25f, f); };
  CHECK(w(0) == doctest::Approx(0));
  CHECK(w(100) == doctest::Approx(80));
  CHECK(w(4000) == doctest::Approx(3200));
  CHECK(w(7500) == doctest::Approx(6000));
  CHECK(w(7750) == doctest::Approx(7000));
  CHECK(w(8000) == doctest::Approx(8000));
  CHECK(w(9000) == 9000);  // outside [low, high]: unchanged
  // warp 0.8: l = 100, h = 6000, scale 1.25; below l slope (125 - 0) / 100.
  auto v = [](float f) { return VtlnWarpFreq(100, 7500, 0, 8000, 0.8f, f); };
  CHECK(v(80) == doctest::Approx(100));
  CHECK(v(4000) == doctest::Approx(5000));
  CHECK(v(7000) == doctest::Approx(8000 + 0.25 * (7000 - 8000)));  // slope 500 / 2000 above h
  CHECK(VtlnWarpFreq(100, 7500, 0, 8000, 1.0f, 1234.5f) == 1234.5f);
}

TEST_CASE("VTLN options: in the option table with Kaldi's defaults, validated as Kaldi") {
  FeatureOptions o;
  std::map<std::string, std::string> values;
  std::map<std::string, unsigned> types;
  ForEachOption(o, [&](const OptionRef& r) {
    values[std::string(r.name)] = r.value;
    types[std::string(r.name)] = r.types;
  });
  CHECK(values.at("vtln-warp") == "1");
  CHECK(values.at("vtln-low") == "100");
  CHECK(values.at("vtln-high") == "-500");
  CHECK(types.at("vtln-warp") == (kMfccBit | kFbankBit | kPlpBit));
  o.type = "fbank";
  o.fbank.mel.vtln_warp = 0.9f;
  o.fbank.mel.vtln_high_hz = 7000;
  const FeatureOptions back = FromJson(ToJson(o));
  CHECK(back.fbank.mel.vtln_warp == 0.9f);
  CHECK(back.fbank.mel.vtln_high_hz == 7000.0f);
  CHECK(ToJson(o).find("\"vtln-warp\":0.9") != std::string::npos);

  using M = std::map<std::string, std::string>;
  CHECK(ErrorOf(M{{"vtln-warp", "0"}}).find("--vtln-warp (0) must be > 0") != std::string::npos);
  CHECK(ErrorOf(M{{"vtln-warp", "0.9"}, {"low-freq", "150"}}).find("--vtln-low (100)") !=
        std::string::npos);
  CHECK(ErrorOf(M{{"vtln-warp", "0.9"}, {"vtln-high", "-8000"}}).find("--vtln-high (-8000") !=
        std::string::npos);
  CHECK(ErrorOf(M{{"vtln-warp", "0.9"}, {"vtln-high", "50"}}).find("--vtln-high (50") !=
        std::string::npos);
  CHECK(ErrorOf(M{{"type", "fbank"}, {"vtln-warp", "1.1"}, {"mel-triangles", "hz"}})
            .find("--mel-triangles=mel") != std::string::npos);
  // Warp 1 skips the VTLN checks, as in Kaldi.
  CHECK(ErrorOf(M{{"low-freq", "150"}}) == "<no error>");
}

TEST_CASE("mel banks are shared per option set and warp, across threads") {
  MelOptions mel;
  const auto a = SharedMelBanks(mel, 16000, 512);
  CHECK(SharedMelBanks(mel, 16000, 512) == a);
  mel.vtln_warp = 0.93f;
  const auto b = SharedMelBanks(mel, 16000, 512);
  CHECK(b != a);
  std::shared_ptr<const MelBanks> from_thread;
  std::thread t([&] { from_thread = SharedMelBanks(mel, 16000, 512); });
  t.join();
  CHECK(from_thread == b);
  // The shared banks are the ones a fresh MelBanks builds.
  const MelBanks fresh(mel, 16000, 512);
  REQUIRE(fresh.NumBins() == b->NumBins());
  for (int i = 0; i < fresh.NumBins(); ++i) {
    CHECK(fresh.Filters()[i].first_fft_bin == b->Filters()[i].first_fft_bin);
    CHECK(fresh.Filters()[i].weights == b->Filters()[i].weights);
  }
  // A warp < 1 stretches the spectrum: filter 10's first FFT bin moves up.
  mel.vtln_warp = 1.0f;
  const MelBanks plain(mel, 16000, 512);
  CHECK(FirstNonzeroBin(fresh.Filters()[10]) > FirstNonzeroBin(plain.Filters()[10]));
}

}  // namespace
}  // namespace auris::dsp
