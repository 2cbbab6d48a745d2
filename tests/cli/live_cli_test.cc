// `auris live --input FILE`: the bundled digit string twice with a pause,
// as JSON lines: status first and last, partials growing into two finals
// with the right text and session word times; real-time pacing; errors.
#include <doctest/doctest.h>

#include <chrono>
#include <cmath>
#include <sstream>

#include <nlohmann/json.hpp>

#include "auris/audio/load.h"
#include "auris/audio/write.h"
#include "auris/pipeline/feature_config.h"
#include "cli_support.h"

using namespace auris;
using namespace auris::test;
using nlohmann::json;

namespace {

std::string Model() { return SourceDir() + "/data/models/digits-ctc.safetensors"; }

// The sample (16 kHz), 1.5 s of silence, the sample again; returns its length in seconds.
double WriteTwice(const std::string& path) {
  audio::AudioLoadOptions o;
  o.target_rate_hz = 16000;
  const std::vector<float> once = audio::LoadForFeatures(SourceDir() + "/data/samples/digit_string.wav", o);
  std::vector<float> x = once;
  x.resize(x.size() + 24000, 0.0f);
  x.insert(x.end(), once.begin(), once.end());
  audio::WriteWav(path, x, 16000);
  return x.size() / 16000.0;
}

std::vector<json> JsonLines(const std::string& out) {
  std::istringstream in(out);
  std::vector<json> lines;
  for (std::string line; std::getline(in, line);) lines.push_back(json::parse(line));
  return lines;
}

}  // namespace

TEST_CASE("live --input --fast --json: partials grow into one final per utterance, session times") {
  TempDir dir;
  const double seconds = WriteTwice(dir / "two.wav");
  const auto r = RunAuris("live --json --fast --model " + Model() + " --input two.wav", dir);
  REQUIRE_MESSAGE(r.status == 0, r.err);
  const std::vector<json> lines = JsonLines(r.out);
  REQUIRE(lines.size() >= 4);
  CHECK(lines.front()["type"] == "status");
  CHECK(lines.back()["type"] == "status");
  CHECK(lines.back()["utterances"] == 2);
  CHECK(lines.back()["end"].get<double>() == doctest::Approx(seconds).epsilon(1e-3));
  // Truth: the sample's CTM, then shifted by the first copy and the pause.
  const std::vector<SampleWord> truth = SampleWords({0.0, (seconds - 1.5) / 2 + 1.5});
  const std::string expected = SampleText();
  std::string partial;
  std::size_t k = 0, finals = 0;
  for (const json& j : lines) {
    if (j["type"] == "partial") {
      CHECK(j["text"].get<std::string>().starts_with(partial));
      partial = j["text"];
    } else if (j["type"] == "final") {
      ++finals;
      CHECK(j["text"] == expected);
      CHECK(j["text"] == partial);
      partial.clear();
      CHECK(j["score"].get<double>() > 0.5);
      for (const json& w : j["words"]) {
        REQUIRE(k < truth.size());
        CAPTURE(k);
        CHECK(w["word"] == truth[k].word);
        CHECK(std::abs(w["start"].get<double>() - truth[k].start_s) <= 0.1);
        CHECK(std::abs(w["end"].get<double>() - truth[k].end_s) <= 0.1);
        ++k;
      }
    }
  }
  CHECK(finals == 2);
  CHECK(k == truth.size());
}

TEST_CASE("live --input: paced to real time by default, errors are clear") {
  TempDir dir;
  std::vector<float> x =
      audio::LoadForFeatures(SourceDir() + "/data/samples/digit_string.wav", pipeline::ModelAudioOptions(8000));
  x.resize(8000);  // the first second
  audio::WriteWav(dir / "one.wav", x, 8000);
  const auto t0 = std::chrono::steady_clock::now();
  const auto r = RunAuris("live --json --model " + Model() + " --input one.wav", dir);
  const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  CHECK_MESSAGE(r.status == 0, r.err);
  CHECK(wall >= 0.95);
  const auto missing = RunAuris("live --model " + Model() + " --input missing.wav", dir);
  CHECK(missing.status != 0);
  CHECK(LinesWith(missing.err, "missing.wav").size() >= 1);
  const auto classifier = RunAuris("live --model " + SourceDir() + "/data/models/digits.safetensors --input one.wav", dir);
  CHECK(classifier.status != 0);
  CHECK(LinesWith(classifier.err, "classifier").size() == 1);
}

TEST_CASE("live --keywords: a CTC model's words as keyword events, bad keyword lists refused") {
  TempDir dir;
  const double seconds = WriteTwice(dir / "two.wav");
  const auto r = RunAuris("live --json --fast --model " + Model() + " --input two.wav --keywords six=6,seven", dir);
  REQUIRE_MESSAGE(r.status == 0, r.err);
  const std::vector<json> lines = JsonLines(r.out);
  std::vector<json> keywords;
  for (const json& j : lines)
    if (j["type"] == "keyword") keywords.push_back(j);
  CHECK(lines.back()["keywords"] == keywords.size());
  // Truth: the sample's CTM words "six" and "seven", in both copies.
  std::vector<SampleWord> expected;
  for (const SampleWord& w : SampleWords({0.0, (seconds - 1.5) / 2 + 1.5}))
    if (w.word == "six" || w.word == "seven") expected.push_back(w);
  REQUIRE(keywords.size() == expected.size());
  for (std::size_t i = 0; i < keywords.size(); ++i) {
    CAPTURE(i);
    CHECK(keywords[i]["label"] == (expected[i].word == "six" ? "6" : "seven"));
    CHECK(std::abs(keywords[i]["start"].get<double>() - expected[i].start_s) <= 0.1);
    // Reported as soon as the word is certain, here before its end (transcript_keywords_test.cc).
    CHECK(keywords[i]["end"].get<double>() <= expected[i].end_s + 0.1);
    CHECK(keywords[i]["emitted"].get<double>() <= expected[i].end_s + 0.1);
    CHECK(keywords[i]["score"].get<double>() > 0.5);
  }
  // Above every word's confidence: no event.
  const auto none =
      RunAuris("live --json --fast --model " + Model() + " --input two.wav --keywords six --threshold 1", dir);
  REQUIRE_MESSAGE(none.status == 0, none.err);
  CHECK(LinesWith(none.out, "\"keyword\"").empty());

  const auto unknown = RunAuris("live --fast --model " + Model() + " --input two.wav --keywords six,ten", dir);
  CHECK(unknown.status != 0);
  CHECK(LinesWith(unknown.err, "keyword \"ten\" is not one of the model's words").size() == 1);
  const auto classifier = RunAuris(
      "live --fast --model " + SourceDir() + "/data/models/digits.safetensors --input two.wav --keywords six", dir);
  CHECK(classifier.status != 0);
  CHECK(LinesWith(classifier.err, "--keywords needs a CTC model").size() == 1);
}

TEST_CASE("live --int8: the shipped CTC models' finals with int8 weights, as with float ones") {
  // The bundled digit string through both shipped CTC models (AN4's misreads
  // this 8-kHz recording, in both modes alike).
  TempDir dir;
  for (const std::string& model : {Model(), SourceDir() + "/data/models/an4.safetensors"}) {
    CAPTURE(model);
    std::string finals[2];
    for (int int8 = 0; int8 < 2; ++int8) {
      const auto r = RunAuris("live --json --fast --model " + model + " --input " + SourceDir() +
                              "/data/samples/digit_string.wav" + (int8 ? " --int8" : ""),
                              dir);
      REQUIRE_MESSAGE(r.status == 0, r.err);
      for (const json& j : JsonLines(r.out))
        if (j["type"] == "final") finals[int8] += j["text"].get<std::string>() + ";";
    }
    if (model == Model()) CHECK(finals[0] == SampleText() + ";");
    CHECK(!finals[0].empty());
    CHECK(finals[1] == finals[0]);
  }
}
