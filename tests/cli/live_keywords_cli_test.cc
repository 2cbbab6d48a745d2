// `auris live` with a classification model: keyword spotting. With the
// trained digit spotter (data/models/kws-digits.safetensors, skipped if
// absent): held-out FSDD digits among noise gaps as a file, --fast --json:
// status first and last, keyword lines scored against the truth
// (kws_test_stream.h: labels, false alarms, start/end times). Without it: the error paths, with a
// small random streamable classifier and the shipped utterance-CMN model.
#include <doctest/doctest.h>

#include <cmath>
#include <filesystem>
#include <sstream>

#include <nlohmann/json.hpp>

#include "auris/audio/write.h"
#include "cli_support.h"
#include "kws_test_stream.h"
#include "pipeline/stream_classifier.h"

using namespace auris;
using namespace auris::test;
using nlohmann::json;

TEST_CASE("live --input --fast --json with a keyword spotter: digits found with labels and times") {
  const std::string model = SourceDir() + "/data/models/kws-digits.safetensors";
  AURIS_SKIP_IF(!std::filesystem::exists(model), model << " absent (recipes/kws-digits/run.sh --install)");
  AURIS_SKIP_IF(FsddDir().empty(), "FSDD not found");
  TempDir dir;
  std::vector<TruthWord> truth;
  const std::vector<float> x = KwsTestStream(8000, &truth);
  audio::WriteWav(dir / "kws.wav", x, 8000);
  const auto r = RunAuris("live --json --fast --model " + model + " --input kws.wav", dir);
  REQUIRE_MESSAGE(r.status == 0, r.err);
  std::istringstream in(r.out);
  std::vector<json> lines, keywords;
  for (std::string line; std::getline(in, line);) {
    lines.push_back(json::parse(line));
    if (lines.back()["type"] == "keyword") keywords.push_back(lines.back());
  }
  REQUIRE(lines.size() >= 2);
  CHECK(lines.front()["type"] == "status");
  CHECK(lines.back()["type"] == "status");
  CHECK(lines.back()["end"].get<double>() == doctest::Approx(x.size() / 8000.0).epsilon(1e-3));
  CHECK(lines.back()["keywords"] == keywords.size());
  for (const TruthWord& w : truth) MESSAGE("truth: " << w.label << " [" << w.start_s << ", " << w.end_s << "]");
  for (const json& k : keywords) MESSAGE(k.dump());
  std::vector<ScoredEvent> scored;
  for (const json& k : keywords) {
    CHECK(k["score"].get<double>() >= 0.8);  // the default --threshold
    scored.push_back({k["label"], k["start"], k["end"]});
  }
  CheckKwsQuality(scored, truth);
}

TEST_CASE("live with a classifier: option and model errors are clear") {
  TempDir dir;
  SaveStreamableClassifier(dir / "kws.safetensors", {"yes", "no", "_background_"});
  audio::WriteWav(dir / "one.wav", std::vector<float>(16000, 0.0f), 16000);
  const std::string base = "live --fast --json --model kws.safetensors --input one.wav ";
  const auto ok = RunAuris(base + "--threshold-for no=0.9 --threshold-for yes=0.95", dir);
  CHECK_MESSAGE(ok.status == 0, ok.err);
  CHECK(LinesWith(ok.out, "\"keywords\":").size() == 1);
  const auto unknown = RunAuris(base + "--threshold-for maybe=0.5", dir);
  CHECK(unknown.status != 0);
  CHECK(LinesWith(unknown.err, "no label \"maybe\"").size() == 1);
  const auto background = RunAuris(base + "--threshold-for _background_=0.5", dir);
  CHECK(background.status != 0);
  CHECK(LinesWith(background.err, "never fire").size() == 1);
  const auto not_number = RunAuris(base + "--threshold-for yes=high", dir);
  CHECK(not_number.status != 0);
  CHECK(LinesWith(not_number.err, "not a number").size() == 1);
  const auto hop = RunAuris(base + "--window-ms 500 --hop-ms 600", dir);
  CHECK(hop.status != 0);
  CHECK(LinesWith(hop.err, "--hop-ms").size() == 1);
  // The shipped classifier normalises by utterance statistics: it cannot stream.
  const auto shipped = RunAuris("live --fast --model " + SourceDir() + "/data/models/digits.safetensors --input one.wav", dir);
  CHECK(shipped.status != 0);
  CHECK(LinesWith(shipped.err, "utterance CMVN, which looks ahead").size() == 1);
}
