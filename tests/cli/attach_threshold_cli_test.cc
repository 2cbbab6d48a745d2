// auris attach-threshold: the keyword threshold stored in a classifier's
// model file is what `auris live` fires at without --threshold, and an
// explicit --threshold still overrides it. Judged against live runs of the
// unmodified model with the same threshold given on the command line, on a
// small random streamable classifier (its posteriors sit near 1/3).
#include <doctest/doctest.h>

#include <filesystem>
#include <sstream>
#include <string>
#include <vector>

#include "auris/modelfile/model_file.h"
#include "cli_support.h"
#include "pipeline/stream_classifier.h"

using namespace auris;
using namespace auris::test;

namespace {

// The keyword event lines of `auris live --json` output.
std::vector<std::string> KeywordLines(const std::string& out) { return LinesWith(out, "\"type\":\"keyword\""); }

}  // namespace

TEST_CASE("attach-threshold: live fires at the stored threshold, --threshold overrides it") {
  TempDir dir;
  SaveStreamableClassifier(dir / "kws.safetensors", {"yes", "no", "_background_"});
  WriteTestWav(dir / "speech.wav", 3.0, 16000, 3);
  const std::string live = "live --fast --json --input speech.wav --model ";
  const auto low = RunAuris(live + "kws.safetensors --threshold 0.05", dir);
  const auto plain = RunAuris(live + "kws.safetensors", dir);
  REQUIRE_MESSAGE(low.status == 0, low.err);
  REQUIRE_MESSAGE(plain.status == 0, plain.err);
  // The two operating points differ, so the comparisons below can tell them apart.
  REQUIRE(!KeywordLines(low.out).empty());
  REQUIRE(KeywordLines(plain.out) != KeywordLines(low.out));

  const auto attach = RunAuris("attach-threshold --model kws.safetensors --threshold 0.05 --out kws-t.safetensors", dir);
  REQUIRE_MESSAGE(attach.status == 0, attach.err);
  CHECK(LinesWith(attach.err, "keyword threshold 0.05").size() == 1);
  const modelfile::LoadedModel stored = modelfile::LoadModel(dir / "kws-t.safetensors");
  CHECK(stored.info.extra.at("keyword_threshold") == "0.05");
  CHECK(stored.info.labels == std::vector<std::string>{"yes", "no", "_background_"});

  const auto by_model = RunAuris(live + "kws-t.safetensors", dir);
  REQUIRE_MESSAGE(by_model.status == 0, by_model.err);
  CHECK(KeywordLines(by_model.out) == KeywordLines(low.out));
  const auto overridden = RunAuris(live + "kws-t.safetensors --threshold 0.8", dir);
  REQUIRE_MESSAGE(overridden.status == 0, overridden.err);
  CHECK(KeywordLines(overridden.out) == KeywordLines(plain.out));
  // --threshold-for still sets one label on top of the stored default.
  const auto one_label = RunAuris(live + "kws-t.safetensors --threshold-for yes=0.8", dir);
  REQUIRE_MESSAGE(one_label.status == 0, one_label.err);
  for (const std::string& line : KeywordLines(one_label.out)) CHECK(line.find("\"label\":\"yes\"") == std::string::npos);
  CHECK(KeywordLines(one_label.out).size() == LinesWith(low.out, "\"label\":\"no\"").size());
}

TEST_CASE("attach-threshold: bad thresholds, models and metadata are clear errors") {
  TempDir dir;
  SaveStreamableClassifier(dir / "kws.safetensors", {"yes", "no", "_background_"});
  for (const char* t : {"0", "1.5"}) {
    const auto r = RunAuris(std::string("attach-threshold --model kws.safetensors --out x.safetensors --threshold ") + t,
                            dir);
    CHECK_MESSAGE(r.status != 0, t);
    CHECK_MESSAGE(LinesWith(r.err, "(0, 1]").size() == 1, r.err);
    CHECK(!std::filesystem::exists(dir / "x.safetensors"));
  }
  const std::string ctc = SourceDir() + "/data/models/digits-ctc.safetensors";
  if (std::filesystem::exists(ctc)) {
    const auto r = RunAuris("attach-threshold --model " + ctc + " --threshold 0.9 --out x.safetensors", dir);
    CHECK(r.status != 0);
    CHECK(LinesWith(r.err, "needs a classification model").size() == 1);
  }
  // A file whose stored threshold is not a number: live names the file and the key.
  modelfile::LoadedModel m = modelfile::LoadModel(dir / "kws.safetensors");
  m.info.extra["keyword_threshold"] = "high";
  modelfile::SaveModel(dir / "bad.safetensors", *m.model, m.info);
  WriteTestWav(dir / "speech.wav", 1.0, 16000, 3);
  const auto bad = RunAuris("live --fast --json --input speech.wav --model bad.safetensors", dir);
  CHECK(bad.status != 0);
  CHECK(LinesWith(bad.err, "bad.safetensors").size() == 1);
  CHECK(LinesWith(bad.err, "'keyword_threshold' is not a number").size() == 1);
  m.info.extra["keyword_threshold"] = "1.5";
  modelfile::SaveModel(dir / "bad.safetensors", *m.model, m.info);
  const auto range = RunAuris("live --fast --json --input speech.wav --model bad.safetensors", dir);
  CHECK(range.status != 0);
  CHECK(LinesWith(range.err, "(0, 1]").size() == 1);
}
