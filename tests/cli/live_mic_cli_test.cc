// `auris live` from a microphone, through the real PortAudio capture of the
// virtual microphone (../shared/testing/virtual-mic): the digit string twice
// with a pause, fed at 16 kHz and at 48 kHz (resampled to the model's 8 kHz),
// gives two finals with the right text and word times (±100 ms); the digit
// spotter finds held-out FSDD digits at both rates with their times
// (kws_test_stream.h); without a feed file there is no input device and the
// error says so.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <sstream>

#include <nlohmann/json.hpp>

#include "auris/audio/load.h"
#include "auris/audio/write.h"
#include "cli_support.h"
#include "kws_test_stream.h"

using namespace auris;
using namespace auris::test;
using nlohmann::json;

namespace {

std::string VirtualMicConfig() {
  const std::string path = std::string(AURIS_SHARED_DIR) + "/testing/virtual-mic/asound.conf";
  return std::filesystem::exists(path) ? path : "";
}

// Raw 16-bit feed of `x` with a long zero tail (the virtual mic repeats stale
// data after the end of its file).
void WriteFeed(const std::string& path, std::vector<float> x, int rate) {
  x.resize(x.size() + static_cast<std::size_t>(20 * rate), 0.0f);
  std::string bytes(x.size() * 2, '\0');
  for (std::size_t i = 0; i < x.size(); ++i) {
    const auto v = static_cast<std::int16_t>(std::clamp(std::lround(x[i]), -32768L, 32767L));
    bytes[2 * i] = static_cast<char>(v & 0xff);
    bytes[2 * i + 1] = static_cast<char>((v >> 8) & 0xff);
  }
  WriteFile(path, bytes);
}

// The sample, 1.5 s of silence, the sample; returns its length in seconds.
double WriteSampleTwiceFeed(const std::string& path, int rate) {
  audio::AudioLoadOptions o;
  o.target_rate_hz = rate;
  o.allow_upsample = true;
  const std::vector<float> once = audio::LoadForFeatures(SourceDir() + "/data/samples/digit_string.wav", o);
  std::vector<float> x = once;
  x.resize(x.size() + static_cast<std::size_t>(1.5 * rate), 0.0f);
  x.insert(x.end(), once.begin(), once.end());
  WriteFeed(path, x, rate);
  return static_cast<double>(x.size()) / rate;
}

void UseVirtualMic(const std::filesystem::path& feed, int rate) {
  setenv("ALSA_CONFIG_PATH", VirtualMicConfig().c_str(), 1);
  setenv("VMIC_FILE", feed.c_str(), 1);
  setenv("VMIC_RATE", std::to_string(rate).c_str(), 1);
}

}  // namespace

TEST_CASE("live from the virtual microphone at 16 and 48 kHz: two finals, text and times") {
  AURIS_SKIP_IF(VirtualMicConfig().empty(), "../shared/testing/virtual-mic absent");
  for (int rate : {16000, 48000}) {
    CAPTURE(rate);
    TempDir dir;
    const double seconds = WriteSampleTwiceFeed(dir / "feed.raw", rate);
    UseVirtualMic(dir / "feed.raw", rate);
    // The virtual mic is not paced: a ring big enough for the whole feed.
    const auto r = RunAuris("live --json --buffer-seconds 60 --duration " + std::to_string(seconds + 1) +
                                " --model " + SourceDir() + "/data/models/digits-ctc.safetensors",
                            dir);
    REQUIRE_MESSAGE(r.status == 0, r.err);
    const std::vector<SampleWord> truth = SampleWords({0.0, (seconds - 1.5) / 2 + 1.5});
    const std::string expected = SampleText();
    std::istringstream in(r.out);
    std::size_t finals = 0, k = 0;
    for (std::string line; std::getline(in, line);) {
      const json j = json::parse(line);
      if (j["type"] == "status" && j.contains("device_rate")) CHECK(j["device_rate"].get<double>() == rate);
      if (j["type"] != "final") continue;
      ++finals;
      CHECK(j["text"] == expected);
      for (const json& w : j["words"]) {
        REQUIRE(k < truth.size());
        CAPTURE(k);
        CHECK(std::abs(w["start"].get<double>() - truth[k].start_s) <= 0.1);
        CHECK(std::abs(w["end"].get<double>() - truth[k].end_s) <= 0.1);
        ++k;
      }
    }
    CHECK(finals == 2);
    CHECK(k == truth.size());
  }
}

TEST_CASE("live keyword spotting from the virtual microphone at 16 and 48 kHz: digits, labels and times") {
  AURIS_SKIP_IF(VirtualMicConfig().empty(), "../shared/testing/virtual-mic absent");
  const std::string model = SourceDir() + "/data/models/kws-digits.safetensors";
  AURIS_SKIP_IF(!std::filesystem::exists(model), model << " absent (recipes/kws-digits/run.sh --install)");
  AURIS_SKIP_IF(FsddDir().empty(), "FSDD not found");
  for (int rate : {16000, 48000}) {
    CAPTURE(rate);
    TempDir dir;
    std::vector<TruthWord> truth;
    const std::vector<float> x = KwsTestStream(rate, &truth);
    WriteFeed(dir / "feed.raw", x, rate);
    UseVirtualMic(dir / "feed.raw", rate);
    const double seconds = static_cast<double>(x.size()) / rate;
    const auto r = RunAuris("live --json --buffer-seconds 120 --duration " + std::to_string(seconds) +
                                " --model " + model,
                            dir);
    REQUIRE_MESSAGE(r.status == 0, r.err);
    std::istringstream in(r.out);
    std::vector<ScoredEvent> events;
    bool device_rate_seen = false;
    for (std::string line; std::getline(in, line);) {
      const json j = json::parse(line);
      if (j["type"] == "status" && j.contains("device_rate")) {
        CHECK(j["device_rate"].get<double>() == rate);
        device_rate_seen = true;
      }
      if (j["type"] == "keyword") events.push_back({j["label"], j["start"], j["end"]});
    }
    CHECK(device_rate_seen);
    CheckKwsQuality(events, truth);
  }
}

TEST_CASE("live with no microphone: a clear error, no hang") {
  AURIS_SKIP_IF(VirtualMicConfig().empty(), "../shared/testing/virtual-mic absent");
  TempDir dir;
  setenv("ALSA_CONFIG_PATH", VirtualMicConfig().c_str(), 1);
  setenv("VMIC_FILE", (dir / "no_such_feed.raw").c_str(), 1);
  const auto r = RunAuris("live --model " + SourceDir() + "/data/models/digits-ctc.safetensors", dir);
  CHECK(r.status != 0);
  CHECK_MESSAGE(LinesWith(r.err, "no input device").size() >= 1, r.err);
}
