// FeaturePipelineOptions <-> model metadata JSON: every field survives the
// round trip, the JSON has the documented layout (checked with an independent
// JSON parse), and bad metadata is an auris::Error naming the problem.
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include "auris/core/error.h"
#include "auris/pipeline/feature_config.h"
#include "test_support.h"

using namespace auris;
using namespace auris::pipeline;
using nlohmann::json;

namespace {

FeaturePipelineOptions RoundTrip(const FeaturePipelineOptions& o) { return FeatureConfigFromJson(FeatureConfigToJson(o)); }

void CheckThrowsWith(const std::string& text, const std::string& needle) {
  try {
    FeatureConfigFromJson(text);
    FAIL("accepted: ", text);
  } catch (const Error& e) {
    const std::string msg = e.what();
    CHECK_MESSAGE(msg.find("feature configuration") != std::string::npos, msg);
    CHECK_MESSAGE(msg.find(needle) != std::string::npos, msg);
  }
}

constexpr const char* kFbank = R"("features": {"type": "fbank", "num-mel-bins": 3})";

}  // namespace

TEST_CASE("feature config: fbank with non-default options and every cmvn field round-trip") {
  FeaturePipelineOptions o;
  o.features.type = "fbank";
  dsp::FbankOptions& f = o.features.fbank;
  f.frame.sample_frequency_hz = 8000;
  f.frame.frame_length_ms = 20;
  f.frame.frame_shift_ms = 12.5f;
  f.frame.window_type = "hamming";
  f.frame.snip_edges = false;
  f.frame.dither = 0.25f;
  f.frame.dither_seed = 99;
  f.frame.preemph_coeff = 0.5f;
  f.mel.num_bins = 40;
  f.mel.low_freq_hz = 60;
  f.mel.high_freq_hz = -300;
  f.use_energy = true;
  f.htk_compat = true;
  f.use_power = false;
  const int dim = 41;

  SUBCASE("cmvn none, no deltas") {
    const json j = json::parse(FeatureConfigToJson(o));
    CHECK(j["deltas"].is_null());
    CHECK(j["cmvn"] == json{{"mode", "none"}});
    CHECK(j["features"]["type"] == "fbank");
    CHECK(j["features"]["num-mel-bins"] == 40);
    CHECK(j["features"]["frame-shift"] == 12.5);
    CHECK(j["features"]["window-type"] == "hamming");
    CHECK(j["features"]["snip-edges"] == false);
    CHECK(!j["features"].contains("num-ceps"));  // mfcc-only option not written for fbank
    const FeaturePipelineOptions r = RoundTrip(o);
    CHECK(r.cmvn == CmvnMode::kNone);
    CHECK(!r.add_deltas);
    CHECK(r.OutputDim() == dim);
  }
  SUBCASE("cmvn utterance with variances, deltas order 1 window 3") {
    o.cmvn = CmvnMode::kUtterance;
    o.cmvn_options.norm_vars = true;
    o.add_deltas = true;
    o.deltas.order = 1;
    o.deltas.window_frames = 3;
    const json j = json::parse(FeatureConfigToJson(o));
    CHECK(j["deltas"] == json{{"order", 1}, {"window", 3}});
    CHECK(j["cmvn"]["mode"] == "utterance");
    CHECK(j["cmvn"]["norm_vars"] == true);
    const FeaturePipelineOptions r = RoundTrip(o);
    CHECK(r.cmvn == CmvnMode::kUtterance);
    CHECK(r.cmvn_options.norm_vars);
    CHECK(r.cmvn_options.norm_means);
    CHECK(r.add_deltas);
    CHECK(r.deltas.order == 1);
    CHECK(r.deltas.window_frames == 3);
    CHECK(r.OutputDim() == 2 * dim);
  }
  SUBCASE("cmvn utterance without means (apply-cmvn --norm-means=false)") {
    o.cmvn = CmvnMode::kUtterance;
    o.cmvn_options.norm_means = false;
    const FeaturePipelineOptions r = RoundTrip(o);
    CHECK(r.cmvn == CmvnMode::kUtterance);
    CHECK(!r.cmvn_options.norm_means);
    CHECK(!r.cmvn_options.norm_vars);
  }
  SUBCASE("cmvn sliding with every field non-default") {
    o.cmvn = CmvnMode::kSliding;
    o.sliding.cmn_window_frames = 300;
    o.sliding.min_cmn_window_frames = 50;
    o.sliding.center = true;
    o.sliding.norm_vars = true;
    const json j = json::parse(FeatureConfigToJson(o));
    CHECK(j["cmvn"] == json{{"mode", "sliding"}, {"cmn_window", 300}, {"min_cmn_window", 50},
                            {"center", true}, {"norm_vars", true}});
    const FeaturePipelineOptions r = RoundTrip(o);
    CHECK(r.cmvn == CmvnMode::kSliding);
    CHECK(r.sliding.cmn_window_frames == 300);
    CHECK(r.sliding.min_cmn_window_frames == 50);
    CHECK(r.sliding.center);
    CHECK(r.sliding.norm_vars);
  }
  SUBCASE("cmvn global with statistics (exact doubles)") {
    o.cmvn = CmvnMode::kGlobal;
    o.cmvn_options.norm_vars = true;
    o.global_stats.resize(2, dim + 1);
    for (int c = 0; c <= dim; ++c) {
      o.global_stats(0, c) = c == dim ? 250 : 0.1 * c - 1.0 / 3;
      o.global_stats(1, c) = c == dim ? 0 : 1e5 / (c + 7.0);
    }
    const json j = json::parse(FeatureConfigToJson(o));
    CHECK(j["cmvn"]["mode"] == "global");
    CHECK(j["cmvn"]["stats"].size() == 2);
    CHECK(j["cmvn"]["stats"][0].size() == dim + 1);
    const FeaturePipelineOptions r = RoundTrip(o);
    CHECK(r.cmvn == CmvnMode::kGlobal);
    CHECK(r.cmvn_options.norm_vars);
    CHECK(r.global_stats == o.global_stats);
  }
  SUBCASE("cmvn online with every field non-default and its statistics") {
    o.cmvn = CmvnMode::kOnline;
    o.online = {.cmn_window_frames = 300, .global_frames = 40, .norm_vars = true};
    o.global_stats = MatrixD::Zero(2, dim + 1);
    for (int c = 0; c < dim; ++c) o.global_stats(0, c) = 0.3 * c - 1.0 / 7;
    o.global_stats(0, dim) = 99;
    const json j = json::parse(FeatureConfigToJson(o));
    CHECK(j["cmvn"]["mode"] == "online");
    CHECK(j["cmvn"]["cmn_window"] == 300);
    CHECK(j["cmvn"]["global_frames"] == 40);
    CHECK(j["cmvn"]["norm_vars"] == true);
    const FeaturePipelineOptions r = RoundTrip(o);
    CHECK(r.cmvn == CmvnMode::kOnline);
    CHECK(r.online.cmn_window_frames == 300);
    CHECK(r.online.global_frames == 40);
    CHECK(r.online.norm_vars);
    CHECK(r.global_stats == o.global_stats);
  }

  // The options of the other cases are common: check them once per subcase.
  const FeaturePipelineOptions r = RoundTrip(o);
  CHECK(r.features.type == "fbank");
  CHECK(r.features.ToString() == o.features.ToString());
  const dsp::FbankOptions& g = r.features.fbank;
  CHECK(g.frame.sample_frequency_hz == 8000);
  CHECK(g.frame.frame_length_ms == 20);
  CHECK(g.frame.frame_shift_ms == 12.5f);
  CHECK(g.frame.window_type == "hamming");
  CHECK(!g.frame.snip_edges);
  CHECK(g.frame.dither == 0.25f);
  CHECK(g.frame.dither_seed == 99);
  CHECK(g.frame.preemph_coeff == 0.5f);
  CHECK(g.mel.num_bins == 40);
  CHECK(g.mel.low_freq_hz == 60);
  CHECK(g.mel.high_freq_hz == -300);
  CHECK(g.use_energy);
  CHECK(g.htk_compat);
  CHECK(!g.use_power);
  // Model input audio: the model's rate from either direction, channels averaged.
  CHECK(r.audio.target_rate_hz == 8000);
  CHECK(r.audio.channel == audio::kMixChannels);
  CHECK(r.audio.allow_downsample);
  CHECK(r.audio.allow_upsample);
}

TEST_CASE("feature config: mfcc with non-default options round-trips") {
  FeaturePipelineOptions o;
  o.features.type = "mfcc";
  o.features.mfcc.num_ceps = 20;
  o.features.mfcc.mel.num_bins = 30;
  o.features.mfcc.cepstral_lifter = 0;
  o.features.mfcc.use_energy = false;
  o.features.mfcc.frame.round_to_power_of_two = false;
  o.features.mfcc.frame.sample_frequency_hz = 48000;
  o.add_deltas = true;  // Kaldi's defaults: order 2, window 2
  const json j = json::parse(FeatureConfigToJson(o));
  CHECK(j["features"]["num-ceps"] == 20);
  CHECK(j["features"]["use-energy"] == false);
  CHECK(j["deltas"] == json{{"order", 2}, {"window", 2}});
  const FeaturePipelineOptions r = RoundTrip(o);
  CHECK(r.features.type == "mfcc");
  CHECK(r.features.mfcc.num_ceps == 20);
  CHECK(r.features.mfcc.mel.num_bins == 30);
  CHECK(r.features.mfcc.cepstral_lifter == 0);
  CHECK(!r.features.mfcc.use_energy);
  CHECK(!r.features.mfcc.frame.round_to_power_of_two);
  CHECK(r.features.mfcc.frame.sample_frequency_hz == 48000);
  CHECK(r.add_deltas);
  CHECK(r.OutputDim() == 60);
  CHECK(r.audio.target_rate_hz == 48000);
}

TEST_CASE("feature config: missing optional parts take the defaults") {
  const FeaturePipelineOptions r = FeatureConfigFromJson(std::string("{") + kFbank + "}");
  CHECK(r.features.type == "fbank");
  CHECK(r.OutputDim() == 3);
  CHECK(!r.add_deltas);
  CHECK(r.cmvn == CmvnMode::kNone);
  CHECK(r.audio.target_rate_hz == 16000);
}

TEST_CASE("feature config: bad metadata is an auris::Error saying what is wrong") {
  CheckThrowsWith("{\"features\": ", "parse error");
  CheckThrowsWith("[1, 2]", "not a JSON object");
  CheckThrowsWith("{}", "missing \"features\"");
  CheckThrowsWith(std::string("{") + kFbank + R"(, "cmvm": {"mode": "none"}})", "unknown key \"cmvm\"");
  CheckThrowsWith(R"({"features": {"type": "fbank", "num-mel-binz": 3}})", "num-mel-binz");
  CheckThrowsWith(R"({"features": {"type": "lpcc"}})", "lpcc");
  CheckThrowsWith(R"({"features": {"type": "fbank", "num-mel-bins": -3}})", "num-mel-bins");
  CheckThrowsWith(std::string("{") + kFbank + R"(, "cmvn": {"mode": "cepstral"}})", "unknown cmvn mode \"cepstral\"");
  CheckThrowsWith(std::string("{") + kFbank + R"(, "cmvn": {"mode": "utterance"}})", "norm_vars");
  CheckThrowsWith(std::string("{") + kFbank + R"(, "cmvn": {"mode": "utterance", "norm_vars": "yes"}})", "boolean");
  CheckThrowsWith(std::string("{") + kFbank + R"(, "cmvn": {"mode": "none", "norm_varz": true}})", "norm_varz");
  CheckThrowsWith(std::string("{") + kFbank + R"(, "deltas": {"order": 2}})", "window");
  CheckThrowsWith(std::string("{") + kFbank + R"(, "deltas": {"order": 2, "window": 2, "widow": 1}})", "widow");
  CheckThrowsWith(std::string("{") + kFbank + R"(, "deltas": {"order": -1, "window": 2}})", "delta-order");
  CheckThrowsWith(std::string("{") + kFbank + R"(, "cmvn": {"mode": "global", "norm_vars": false, "stats": [[1, 2]]}})",
                  "two rows");
  // Numbers an int cannot hold are refused, not cast (undefined behaviour; found by the model_file fuzzer).
  CheckThrowsWith(std::string("{") + kFbank + R"(, "deltas": {"order": 1.11111e+74, "window": 2}})", "expected an integer");
  CheckThrowsWith(std::string("{") + kFbank + R"(, "deltas": {"order": -2147483649, "window": 2}})", "out of range");
  CheckThrowsWith(std::string("{") + kFbank + R"(, "deltas": {"order": 2.5, "window": 2}})", "expected an integer");
  CheckThrowsWith(std::string("{") + kFbank +
                      R"(, "cmvn": {"mode": "sliding", "cmn_window": 4294967296, "min_cmn_window": 1, "center": false, "norm_vars": false}})",
                  "out of range");
  CheckThrowsWith(std::string("{") + kFbank + R"(, "cmvn": {"mode": "global", "norm_vars": false, "stats": [[1, "a"], [4, 5]]}})",
                  "expected a number");
  // Statistics for 2 columns where the features have 3.
  CheckThrowsWith(
      std::string("{") + kFbank + R"(, "cmvn": {"mode": "global", "norm_vars": false, "stats": [[1, 2, 3], [4, 5, 6]]}})",
      "expected 2 x 4");
}

TEST_CASE("feature config: speech trimming is stored only when set and round-trips") {
  FeaturePipelineOptions o;
  CHECK_FALSE(json::parse(FeatureConfigToJson(o)).contains("trim"));
  CHECK_FALSE(RoundTrip(o).trim.has_value());
  o.trim = dsp::SpeechTrimOptions{.above_floor_db = 9.5, .below_peak_db = 33, .margin_ms = 120};
  const json j = json::parse(FeatureConfigToJson(o));
  CHECK(j["trim"] == json{{"above_floor_db", 9.5}, {"below_peak_db", 33.0}, {"margin_ms", 120.0}});
  const FeaturePipelineOptions back = RoundTrip(o);
  REQUIRE(back.trim.has_value());
  CHECK(back.trim->above_floor_db == 9.5);
  CHECK(back.trim->below_peak_db == 33);
  CHECK(back.trim->margin_ms == 120);
  CheckThrowsWith(std::string("{") + kFbank + R"(, "trim": {"above_floor_db": 10, "below_peak_db": 40}})",
                  "margin_ms");
  CheckThrowsWith(std::string("{") + kFbank +
                      R"(, "trim": {"above_floor_db": 10, "below_peak_db": 40, "margin_ms": 1, "x": 2}})",
                  "\"x\"");
  CheckThrowsWith(std::string("{") + kFbank +
                      R"(, "trim": {"above_floor_db": 10, "below_peak_db": -4, "margin_ms": 1}})",
                  "below_peak_db");
}
