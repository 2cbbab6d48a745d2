// EvaluateClassifier scores what the model answers, VTLN search included:
// an input labelled with the search's answer is right, though the unwarped
// model says something else.
#include <doctest/doctest.h>

#include "../pipeline/stream_classifier.h"
#include "auris/pipeline/vtln_search.h"
#include "auris/train/evaluate.h"
#include "test_support.h"

using namespace auris;
using namespace auris::test;

TEST_CASE("EvaluateClassifier: a model's VTLN search decides, as in classify") {
  const std::vector<std::string> labels = {"a", "b", "c", "d"};
  train::Example e;
  e.source.uttid = "three_one_four";
  e.source.path = SourceDir() + "/data/samples/three_one_four.wav";

  // The first initialisation seed whose answer the search changes.
  auto with_search = [&](std::uint64_t seed) {
    modelfile::LoadedModel m = StreamableClassifierModel(labels, seed);
    m.info.extra["vtln_search"] = pipeline::FormatVtlnSearch({0.8, 0.9, 1.0, 1.1, 1.2});
    return pipeline::Recognizer(std::move(m));
  };
  std::uint64_t seed = 1;
  for (; seed < 100; ++seed)
    if (pipeline::Recognizer(StreamableClassifierModel(labels, seed)).ClassifyInput(e.source).result.best !=
        with_search(seed).ClassifyInput(e.source).result.best)
      break;
  REQUIRE_MESSAGE(seed < 100, "no model among 99 seeds whose answer the search changes");
  const pipeline::Recognizer plain(StreamableClassifierModel(labels, seed));
  const pipeline::Recognizer searching = with_search(seed);
  const int searched = searching.ClassifyInput(e.source).result.best;

  e.label = labels[static_cast<std::size_t>(searched)];
  train::DataSet data;
  data.examples = {e};
  CHECK(train::EvaluateClassifier(searching, data, 1).errors.empty());
  CHECK(train::EvaluateClassifier(plain, data, 1).errors.size() == 1);
}
