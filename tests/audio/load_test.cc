// LoadForFeatures: rate checks with Kaldi's option names, segments with
// extract-segments' rules, channels, streaming == whole.
#include <doctest/doctest.h>

#include <cmath>
#include <functional>

#include "audio_test_util.h"
#include "auris/audio/load.h"
#include "auris/audio/resample.h"
#include "auris/audio/write.h"
#include "auris/core/error.h"

using namespace auris;
using namespace auris::audio;
using namespace auris::test;

namespace {

std::vector<float> Ramp(std::size_t n, int channels = 1) {
  std::vector<float> x(n * channels);
  for (std::size_t i = 0; i < n; ++i)
    for (int c = 0; c < channels; ++c) x[i * channels + c] = static_cast<float>(static_cast<long>(i % 20000) - 10000 + c * 7);
  return x;
}

std::string ErrorOf(const std::function<void()>& f) {
  try {
    f();
  } catch (const Error& e) {
    return e.what();
  }
  FAIL("no error");
  return "";
}

bool Has(const std::string& s, const std::string& part) { return s.find(part) != std::string::npos; }

}  // namespace

TEST_CASE("same rate: samples untouched") {
  TempDir dir;
  const std::vector<float> x = Ramp(16000);
  WriteWav(dir / "a.wav", x, 16000);
  CHECK(LoadForFeatures(dir / "a.wav", {}) == x);
  CHECK(LoadForFeaturesFromMemory(ReadFile(dir / "a.wav"), "utt1", {}) == x);
}

TEST_CASE("rate mismatch without the allow option names file, both rates and the option") {
  TempDir dir;
  WriteWav(dir / "r8k.wav", Ramp(8000), 8000);
  WriteWav(dir / "r44k.wav", Ramp(44100), 44100);
  std::string e = ErrorOf([&] { LoadForFeatures(dir / "r8k.wav", {}); });
  CHECK(Has(e, dir / "r8k.wav"));
  CHECK(Has(e, "8000 Hz"));
  CHECK(Has(e, "16000 Hz"));
  CHECK(Has(e, "--allow-upsample"));
  e = ErrorOf([&] { LoadForFeatures(dir / "r44k.wav", {}); });
  CHECK(Has(e, "44100 Hz"));
  CHECK(Has(e, "--allow-downsample"));

  AudioLoadOptions up;
  up.allow_upsample = true;
  const std::vector<float> y = LoadForFeatures(dir / "r8k.wav", up);
  CHECK(y == Resample(Ramp(8000), 8000, 16000));
  AudioLoadOptions down;
  down.allow_downsample = true;
  CHECK(LoadForFeatures(dir / "r44k.wav", down).size() == 16000);
  // The wrong permission does not help.
  CHECK_THROWS_AS(LoadForFeatures(dir / "r44k.wav", up), Error);
}

TEST_CASE("segments: trunc(t * rate), end -1, overshoot rules") {
  TempDir dir;
  const std::vector<float> x = Ramp(16000);  // 1 s at 16 kHz
  WriteWav(dir / "rec.wav", x, 16000);
  const std::string rec = dir / "rec.wav";
  auto slice = [&](std::size_t a, std::size_t b) { return std::vector<float>(x.begin() + a, x.begin() + b); };

  CHECK(LoadForFeatures(rec, {}, {0.25, 0.5}) == slice(4000, 8000));
  CHECK(LoadForFeatures(rec, {}, {0.10001, 0.20009}) == slice(1600, 3201));  // truncation
  CHECK(LoadForFeatures(rec, {}, {0.75, -1}) == slice(12000, 16000));
  CHECK(LoadForFeatures(rec, {}, {0.5, 1.3}) == slice(8000, 16000));  // overshoot < 0.5 s: clipped
  std::string e = ErrorOf([&] { LoadForFeatures(rec, {}, {0.5, 1.6}); });
  CHECK(Has(e, rec));
  CHECK(Has(e, "too far beyond the end"));
  e = ErrorOf([&] { LoadForFeatures(rec, {}, {1.2, -1}); });
  CHECK(Has(e, "beyond the end of the recording"));
  e = ErrorOf([&] { LoadForFeatures(rec, {}, {0.5, 0.4}); });
  CHECK(Has(e, "invalid segment"));

  // FLAC seeks exactly as well.
  WriteAudio(dir / "rec.flac", x, 16000, 1, {AudioContainer::kFlac, SampleEncoding::kPcm16});
  CHECK(LoadForFeatures(dir / "rec.flac", {}, {0.3, 0.9}) == slice(4800, 14400));
}

TEST_CASE("channel option and segment channel") {
  TempDir dir;
  const std::vector<float> st = Ramp(4000, 2);
  WriteWav(dir / "st.wav", st, 16000, 2);
  std::vector<float> right(4000);
  for (std::size_t i = 0; i < right.size(); ++i) right[i] = st[2 * i + 1];
  AudioLoadOptions o;
  o.channel = 1;
  CHECK(LoadForFeatures(dir / "st.wav", o) == right);
  CHECK(LoadForFeatures(dir / "st.wav", {}, {0, -1, 1}) == right);
  std::string warning;
  LoadForFeatures(dir / "st.wav", {}, {}, &warning);
  CHECK(Has(warning, "defaulting to channel 0"));
  o.channel = 3;
  const std::string e = ErrorOf([&] { LoadForFeatures(dir / "st.wav", o); });
  CHECK(Has(e, dir / "st.wav"));
  CHECK(Has(e, "--channel 3"));
}

TEST_CASE("kMixChannels averages every channel, and a segment channel still picks one") {
  TempDir dir;
  const std::vector<float> st = Ramp(4000, 3);
  WriteWav(dir / "three.wav", st, 16000, 3);
  AudioLoadOptions o;
  o.channel = kMixChannels;
  std::string warning;
  const std::vector<float> mixed = LoadForFeatures(dir / "three.wav", o, {}, &warning);
  REQUIRE(mixed.size() == 4000);
  for (std::size_t i = 0; i < mixed.size(); ++i)  // Ramp's channels are x, x+7, x+14: mean x+7
    CHECK(mixed[i] == doctest::Approx(st[3 * i] + 7.0f));
  CHECK(warning.empty());
  const std::vector<float> second = LoadForFeatures(dir / "three.wav", o, {0, -1, 2});
  CHECK(second[10] == st[3 * 10 + 2]);
}

TEST_CASE("FeatureAudioReader in small chunks equals the whole load") {
  TempDir dir;
  WriteWav(dir / "a.wav", Ramp(22050 * 2), 22050);
  AudioLoadOptions o;
  o.allow_downsample = true;
  const std::vector<float> whole = LoadForFeatures(dir / "a.wav", o, {0.3, 1.7});
  FeatureAudioReader reader(AudioFileReader::Open(dir / "a.wav"), o, {0.3, 1.7});
  std::vector<float> chunks;
  while (reader.Read(333, &chunks)) {
  }
  CHECK(chunks == whole);
  CHECK(whole.size() == static_cast<std::size_t>(std::llround((37485 - 6615) * 16000.0 / 22050)));
}
