// `auris live --stdin --stdin-rate R`: raw s16le PCM on standard input, at
// the model's rate and at 48 kHz stereo (averaged, resampled), gives the
// bundled sample's words at their CTM times; bad input fails clearly, after
// finishing what was heard before it.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <sstream>

#include <nlohmann/json.hpp>

#include "auris/audio/load.h"
#include "auris/pipeline/feature_config.h"
#include "cli_support.h"

using namespace auris;
using namespace auris::test;
using nlohmann::json;

namespace {

std::string Model() { return SourceDir() + "/data/models/digits-ctc.safetensors"; }

// Interleaved s16le bytes of `x` repeated on `channels` channels.
std::string Pcm16(const std::vector<float>& x, int channels) {
  std::string bytes;
  for (float v : x) {
    const auto s = static_cast<std::int16_t>(std::lround(std::clamp(v, -32768.0f, 32767.0f)));
    for (int c = 0; c < channels; ++c) bytes += {static_cast<char>(s & 0xff), static_cast<char>((s >> 8) & 0xff)};
  }
  return bytes;
}

std::vector<float> Sample(double rate) {
  return audio::LoadForFeatures(SourceDir() + "/data/samples/digit_string.wav", pipeline::ModelAudioOptions(rate));
}

}  // namespace

TEST_CASE("live --stdin: raw PCM at 8 kHz mono and 48 kHz stereo gives the words at their times") {
  TempDir dir;
  WriteFile(dir / "8k.raw", Pcm16(Sample(8000), 1));
  WriteFile(dir / "48k.raw", Pcm16(Sample(48000), 2));
  for (const std::string& args : {std::string("--stdin-rate 8000 < 8k.raw"),
                                  std::string("--stdin-rate 48000 --stdin-channels 2 < 48k.raw")}) {
    CAPTURE(args);
    const auto r = RunAuris("live --json --model " + Model() + " --stdin " + args, dir);
    REQUIRE_MESSAGE(r.status == 0, r.err);
    std::istringstream in(r.out);
    std::vector<json> finals;
    for (std::string line; std::getline(in, line);)
      if (json j = json::parse(line); j["type"] == "final") finals.push_back(j);
    REQUIRE(finals.size() == 1);
    const std::vector<SampleWord> truth = SampleWords();
    REQUIRE(finals[0]["words"].size() == truth.size());
    for (std::size_t k = 0; k < truth.size(); ++k) {
      const json& w = finals[0]["words"][k];
      CHECK(w["word"] == truth[k].word);
      CHECK(std::abs(w["start"].get<double>() - truth[k].start_s) <= 0.1);
      CHECK(std::abs(w["end"].get<double>() - truth[k].end_s) <= 0.1);
    }
  }
}

TEST_CASE("live --stdin: a missing rate or a torn sample frame is a clear error") {
  TempDir dir;
  WriteFile(dir / "odd.raw", "abc");
  const auto no_rate = RunAuris("live --model " + Model() + " --stdin < odd.raw", dir);
  CHECK(no_rate.status != 0);
  CHECK(LinesWith(no_rate.err, "--stdin-rate").size() == 1);
  const auto torn = RunAuris("live --model " + Model() + " --stdin --stdin-rate 8000 < odd.raw", dir);
  CHECK(torn.status != 0);
  CHECK(LinesWith(torn.err, "inside a sample frame").size() == 1);
  const auto both = RunAuris("live --model " + Model() + " --stdin --stdin-rate 8000 --input x.wav < odd.raw", dir);
  CHECK(both.status != 0);
}

TEST_CASE("live --stdin: input that fails mid-stream still gives what was heard, then the error") {
  TempDir dir;
  WriteFile(dir / "torn.raw", Pcm16(Sample(8000), 1) + "x");  // the sample, then half a sample frame
  const auto r = RunAuris("live --json --model " + Model() + " --stdin --stdin-rate 8000 < torn.raw", dir);
  CHECK(r.status == 1);
  CHECK_MESSAGE(LinesWith(r.err, "stdin: input ends inside a sample frame").size() == 1, r.err);
  std::istringstream in(r.out);
  std::vector<json> finals, summaries;
  for (std::string line; std::getline(in, line);) {
    const json j = json::parse(line);
    if (j["type"] == "final") finals.push_back(j);
    if (j["type"] == "status" && j.contains("utterances")) summaries.push_back(j);
  }
  REQUIRE(finals.size() == 1);
  CHECK(finals[0]["text"] == SampleText());
  REQUIRE(summaries.size() == 1);
  CHECK(summaries[0]["text"].get<std::string>().starts_with("input failed after"));
  CHECK(summaries[0]["utterances"] == 1);
}
