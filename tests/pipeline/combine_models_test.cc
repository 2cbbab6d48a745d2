// CombineModels (auris ensemble): the combined classifier's probabilities are
// the normalised geometric mean of its members' probabilities (the mean of
// their logits), computed here from the members run on their own; members
// that do not fit together are refused with the member's name.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>

#include "auris/core/error.h"
#include "auris/modelfile/combine.h"
#include "auris/pipeline/classifier_stream.h"
#include "auris/pipeline/feature_config.h"
#include "auris/pipeline/recognizer.h"
#include "stream_classifier.h"
#include "test_support.h"

using namespace auris;
using namespace auris::test;

namespace {

const std::vector<std::string> kLabels = {"a", "b", "c"};

std::vector<modelfile::LoadedModel> Members(int n) {
  std::vector<modelfile::LoadedModel> m;
  for (int k = 0; k < n; ++k) m.push_back(StreamableClassifierModel(kLabels, 20 + k));
  return m;
}

void ExpectRefused(std::vector<modelfile::LoadedModel> members, const std::string& detail) {
  try {
    modelfile::CombineModels(members, {"first.safetensors", "second.safetensors"});
    FAIL("no error: ", detail);
  } catch (const Error& e) {
    const std::string msg = e.what();
    CHECK_MESSAGE(msg.find("second.safetensors") != std::string::npos, msg);
    CHECK_MESSAGE(msg.find(detail) != std::string::npos, msg);
  }
}

}  // namespace

TEST_CASE("CombineModels: probabilities are the normalised geometric mean of the members'") {
  io::InputItem item;
  item.uttid = "zero_nine";
  item.path = SourceDir() + "/data/samples/zero_nine.wav";
  std::vector<double> log_mean(kLabels.size(), 0.0);
  std::vector<std::vector<float>> member_probs;
  for (modelfile::LoadedModel& m : Members(3)) {
    const pipeline::Recognizer r(std::move(m));
    member_probs.push_back(r.ClassifyInput(item).result.probs);
    for (std::size_t i = 0; i < kLabels.size(); ++i) log_mean[i] += std::log(member_probs.back()[i]) / 3.0;
  }
  double z = 0;
  for (double v : log_mean) z += std::exp(v);

  modelfile::LoadedModel combined = modelfile::CombineModels(Members(3), {"m0", "m1", "m2"});
  CHECK(combined.info.labels == kLabels);
  CHECK(combined.info.extra.at("training").starts_with("ensemble of 3"));
  const pipeline::Recognizer ensemble(std::move(combined));
  const std::vector<float> p = ensemble.ClassifyInput(item).result.probs;
  for (std::size_t i = 0; i < kLabels.size(); ++i) CHECK(p[i] == doctest::Approx(std::exp(log_mean[i]) / z).epsilon(1e-5));
  CHECK(std::abs(p[0] - member_probs[0][0]) > 1e-4);  // the members differ: the mean is not one of them
}

TEST_CASE("CombineModels: an ensemble of streamable classifiers streams, with stream == batch") {
  const pipeline::Recognizer ensemble(modelfile::CombineModels(Members(2), {"m0", "m1"}));
  const std::vector<float> audio =
      audio::LoadForFeatures(SourceDir() + "/data/samples/zero_nine.wav", pipeline::ModelAudioOptions(16000));
  pipeline::ClassifierStream stream(ensemble);
  for (std::size_t at = 0; at < audio.size(); at += 1234)
    stream.AcceptWaveform(audio.data() + at, static_cast<std::int64_t>(std::min<std::size_t>(1234, audio.size() - at)));
  stream.InputFinished();
  const std::vector<float> batch = ensemble.Classify(ensemble.ComputeFeatures(audio)).probs;
  const std::vector<float> streamed = stream.Current();
  REQUIRE(streamed.size() == batch.size());
  for (std::size_t i = 0; i < batch.size(); ++i) CHECK(streamed[i] == doctest::Approx(batch[i]).epsilon(1e-5));
  // No top-level attention pooling: keyword times come from the energies alone.
  CHECK_FALSE(pipeline::PooledStream(ensemble).HasAttention());
  CHECK(pipeline::PooledStream(pipeline::Recognizer(StreamableClassifierModel(kLabels, 3))).HasAttention());
}

TEST_CASE("CombineModels: members that do not fit together are refused, naming the member") {
  SUBCASE("labels") {
    auto m = Members(2);
    m[1].info.labels = {"a", "b", "x"};
    ExpectRefused(std::move(m), "labels differ");
  }
  SUBCASE("features") {
    auto m = Members(2);
    pipeline::FeaturePipelineOptions f = pipeline::FeatureConfigFromJson(m[1].info.features_json);
    f.features.fbank.frame.preemph_coeff = 0.9f;
    m[1].info.features_json = pipeline::FeatureConfigToJson(f);
    ExpectRefused(std::move(m), "feature configuration differs");
  }
  SUBCASE("VTLN search") {
    auto m = Members(2);
    m[1].info.extra["vtln_search"] = "0.9 1 1.1";
    ExpectRefused(std::move(m), "VTLN search");
  }
  SUBCASE("CTC models") {
    auto m = Members(2);
    m[1].info.extra["task"] = "ctc";
    ExpectRefused(std::move(m), "only classifiers can be combined");
  }
  CHECK_THROWS_WITH_AS(modelfile::CombineModels(Members(1), {"one"}), doctest::Contains("at least two models"), Error);
}
