// Test-time VTLN search: the warp grid and its metadata text, and
// Recognizer::ClassifyInput choosing the most confident warp — checked
// against the same network loaded once per warp with that warp in its
// feature options (the plain, already torchaudio-checked VTLN path).
#include <doctest/doctest.h>

#include <algorithm>

#include "auris/core/error.h"
#include "auris/pipeline/classifier_stream.h"
#include "auris/pipeline/feature_config.h"
#include "auris/pipeline/vtln_search.h"
#include "stream_classifier.h"
#include "test_support.h"

using namespace auris;
using namespace auris::test;

TEST_CASE("VtlnSearchGrid: MIN to MAX by STEP, rounded, bad ranges rejected") {
  CHECK(pipeline::VtlnSearchGrid(0.85, 1.15, 0.05) == std::vector<double>{0.85, 0.9, 0.95, 1, 1.05, 1.1, 1.15});
  CHECK(pipeline::VtlnSearchGrid(0.9, 1.0, 0.04) == std::vector<double>{0.9, 0.94, 0.98});
  CHECK(pipeline::VtlnSearchGrid(1.1, 1.1, 0) == std::vector<double>{1.1});
  CHECK_THROWS_WITH_AS(pipeline::VtlnSearchGrid(1.2, 0.8, 0.1), doctest::Contains("0 < MIN <= MAX"), Error);
  CHECK_THROWS_WITH_AS(pipeline::VtlnSearchGrid(0, 1, 0.1), doctest::Contains("0 < MIN <= MAX"), Error);
  CHECK_THROWS_WITH_AS(pipeline::VtlnSearchGrid(0.9, 1.1, 0), doctest::Contains("STEP (0) must be > 0"), Error);
}

TEST_CASE("VTLN search lists: text form, parse errors, search order") {
  CHECK(pipeline::FormatVtlnSearch({0.9, 1, 1.05}) == "0.9 1 1.05");
  CHECK(pipeline::ParseVtlnSearch(" 0.9 1\t1.05 ") == std::vector<double>{0.9, 1, 1.05});
  CHECK_THROWS_WITH_AS(pipeline::ParseVtlnSearch("0.9 1.1x"), doctest::Contains("\"1.1x\""), Error);
  CHECK_THROWS_WITH_AS(pipeline::ParseVtlnSearch("-1"), doctest::Contains("\"-1\""), Error);
  CHECK_THROWS_WITH_AS(pipeline::ParseVtlnSearch("  "), doctest::Contains("no warp factors"), Error);
  CHECK(pipeline::SearchOrder({0.8, 0.9, 1, 1.1, 1.2}) == std::vector<double>{1, 0.9, 1.1, 0.8, 1.2});
}

TEST_CASE("WithWarp: mel features only, and the warp must fit the filter range") {
  pipeline::FeaturePipelineOptions o;
  o.features.type = "fbank";
  CHECK(pipeline::WithWarp(o, 1.1).features.fbank.mel.vtln_warp == doctest::Approx(1.1f));
  o.features.fbank.mel.low_freq_hz = 150;  // Kaldi: the warp's low inflection (--vtln-low 100) must lie above it
  CHECK_THROWS_WITH_AS(pipeline::WithWarp(o, 1.1), doctest::Contains("--vtln-low (100)"), Error);
  o.features.fbank.mel.low_freq_hz = 20;
  o.features.type = "spectrogram";
  CHECK_THROWS_WITH_AS(pipeline::WithWarp(o, 1.1), doctest::Contains("needs mel features"), Error);
  CHECK_NOTHROW(pipeline::WithWarp(o, 1.0));
}

TEST_CASE("Recognizer::ClassifyInput keeps the most confident warp of the model's VTLN search") {
  const std::vector<std::string> labels = {"a", "b", "c", "d"};
  const std::vector<double> warps = {0.85, 0.95, 1.0, 1.1, 1.2};
  io::InputItem item;
  item.uttid = "three_one_four";
  item.path = SourceDir() + "/data/samples/three_one_four.wav";

  // Reference: the same weights, one model per warp, the warp in its features.
  int best = -1;
  std::vector<pipeline::Classification> per_warp;
  for (double w : pipeline::SearchOrder(warps)) {
    modelfile::LoadedModel m = StreamableClassifierModel(labels, 11);
    pipeline::FeaturePipelineOptions f = pipeline::FeatureConfigFromJson(m.info.features_json);
    f.features.fbank.mel.vtln_warp = static_cast<float>(w);
    m.info.features_json = pipeline::FeatureConfigToJson(f);
    const pipeline::Recognizer r(std::move(m));
    per_warp.push_back(r.Classify(r.ExtractFeatures(item).features));
    const pipeline::Classification& c = per_warp.back();
    if (best < 0 || c.probs[c.best] > per_warp[best].probs[per_warp[best].best]) best = static_cast<int>(per_warp.size()) - 1;
  }
  // The warps must matter for the test to mean anything.
  const auto conf = [](const pipeline::Classification& c) { return c.probs[c.best]; };
  CHECK(conf(per_warp[best]) > conf(per_warp[0]) + 1e-4);

  modelfile::LoadedModel m = StreamableClassifierModel(labels, 11);
  m.info.extra["vtln_search"] = pipeline::FormatVtlnSearch(warps);
  const pipeline::Recognizer searching(std::move(m));
  CHECK(searching.VtlnSearch() == pipeline::SearchOrder(warps));
  const pipeline::InputClassification got = searching.ClassifyInput(item);
  CHECK(got.warp == pipeline::SearchOrder(warps)[best]);
  CHECK(got.result.best == per_warp[best].best);
  CHECK(got.result.probs == per_warp[best].probs);
  CHECK(got.features.features.rows() > 0);

  SUBCASE("such a model cannot stream: the search needs the whole utterance") {
    CHECK_THROWS_WITH_AS(pipeline::PooledStream{searching}, doctest::Contains("vtln_search"), Error);
  }
}
