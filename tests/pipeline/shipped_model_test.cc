// The shipped spoken-digit model (data/models/digits.safetensors, trained by
// recipes/fsdd-digits/run.sh): the FSDD official test split (takes 0-4 of
// every speaker, never seen in training) and the bundled samples. Its
// unseen-speaker floors (AN4's test speakers) are in
// tests/recipes/shipped_digits_an4_test.py.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "auris/core/thread_pool.h"
#include "auris/pipeline/recognizer.h"
#include "test_support.h"

using namespace auris;
using namespace auris::test;
namespace fs = std::filesystem;

namespace {

std::string ModelPath() { return SourceDir() + "/data/models/digits.safetensors"; }

std::string Classify(const pipeline::Recognizer& rec, const std::string& path) {
  io::InputItem item;
  item.uttid = fs::path(path).stem().string();
  item.path = path;
  return rec.Labels()[rec.ClassifyInput(item).result.best];
}

}  // namespace

// Issue 24's target is >= 99.7% (no error in 300: 299 is 99.67%); the shipped model
// (one classifier with a VTLN search, trained with AN4's real speakers, and
// speech trimming since it was added) measures 96.0% (288 / 300; without
// trimming 291, the FSDD-only model before: 296), so this guards against
// regressions only: it fails if a change to features, network, search,
// trimming or loading costs more than one file.
TEST_CASE("shipped digit model: FSDD official test split, no regression below 95.6%") {
  const std::string fsdd = FsddDir();
  AURIS_SKIP_IF(fsdd.empty(), "FSDD not found at ../shared/data/fsdd/recordings");
  const pipeline::Recognizer rec = pipeline::Recognizer::Load(ModelPath());
  const char* words[] = {"zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"};
  std::vector<std::pair<std::string, std::string>> test;  // path, label
  for (const auto& entry : fs::directory_iterator(fsdd)) {
    const std::string name = entry.path().stem().string();  // digit_speaker_take
    const int take = std::stoi(name.substr(name.rfind('_') + 1));
    if (take < 5) test.emplace_back(entry.path().string(), words[name[0] - '0']);
  }
  REQUIRE(test.size() == 300);
  std::vector<std::string> got(test.size());
  ThreadPool pool(2);
  pool.ParallelFor(test.size(), [&](std::size_t i, int) { got[i] = Classify(rec, test[i].first); });
  int right = 0;
  std::string errors;
  for (std::size_t i = 0; i < test.size(); ++i) {
    if (got[i] == test[i].second) ++right;
    else errors += fs::path(test[i].first).filename().string() + " -> " + got[i] + "  ";
  }
  INFO("misclassified: " << errors);
  MESSAGE("official split accuracy " << right << " / " << test.size());
  CHECK(right >= 287);
}

TEST_CASE("shipped digit model: the bundled samples") {
  const pipeline::Recognizer rec = pipeline::Recognizer::Load(ModelPath());
  std::ifstream list(SourceDir() + "/data/samples/digits.list");
  REQUIRE(list.good());
  int n = 0;
  for (std::string file, label; list >> file >> label; ++n) {
    INFO(file);
    CHECK(Classify(rec, SourceDir() + "/data/samples/" + file) == label);
  }
  CHECK(n >= 4);
}
