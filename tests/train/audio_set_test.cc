// LoadAudioSet: any rate and channel count arrive at the model's rate, mono;
// bad audio becomes one problem per example naming the file; the result does
// not depend on the thread count.
#include <doctest/doctest.h>

#include <cmath>
#include <filesystem>
#include <fstream>

#include "auris/audio/write.h"
#include "auris/train/audio_set.h"
#include "test_support.h"
#include "tolerances.h"

using namespace auris;
using namespace auris::test;

namespace {

constexpr double kToneHz = 200, kToneAmp = 8000;

double Tone(double hz, double amp, double t) { return amp * std::sin(2 * M_PI * hz * t); }

// 16 kHz stereo whose channel average is a 200 Hz tone of amplitude kToneAmp:
// left = 1.5 tone + 1 kHz tone, right = 0.5 tone - 1 kHz tone (picking one
// channel instead of averaging would show the wrong amplitude and 1 kHz).
void WriteStereo16k(const std::string& path, std::size_t frames) {
  std::vector<float> x(2 * frames);
  for (std::size_t i = 0; i < frames; ++i) {
    const double t = static_cast<double>(i) / 16000;
    const double tone = Tone(kToneHz, kToneAmp, t), other = Tone(1000, 5000, t);
    x[2 * i] = static_cast<float>(std::round(1.5 * tone + other));
    x[2 * i + 1] = static_cast<float>(std::round(0.5 * tone - other));
  }
  audio::WriteWav(path, x, 16000, 2);
}

std::vector<float> Mono8k(std::size_t n, unsigned seed) {
  std::vector<float> x(n);
  for (std::size_t i = 0; i < n; ++i) x[i] = static_cast<float>((i * 37 + seed * 101) % 2001) - 1000.0f;
  return x;
}

// good.wav (16 kHz stereo), corrupt.wav, short.wav, plain.wav (8 kHz mono),
// a list line without label, listed as list:data.lst.
train::DataSet MakeData(const TempDir& dir) {
  WriteStereo16k(dir / "good.wav", 16001);
  std::string bytes = ReadFile(dir / "good.wav");
  for (int i = 8; i < 40; ++i) bytes[i] = 'x';  // RIFF/fmt header destroyed
  WriteFile(dir / "corrupt.wav", bytes);
  audio::WriteWav(dir / "short.wav", Mono8k(150, 1), 8000, 1);
  audio::WriteWav(dir / "plain.wav", Mono8k(4000, 2), 8000, 1);
  std::ofstream(dir / "data.lst") << "good.wav yes\ncorrupt.wav no\nshort.wav no\nunlabelled.wav\nplain.wav no\n";
  return train::ReadDataSpec("list:" + (dir / "data.lst"));
}

}  // namespace

TEST_CASE("LoadAudioSet: 16 kHz stereo arrives as 8 kHz mono with the tone's amplitude - bad files are problems") {
  TempDir dir;
  const train::AudioSet set = train::LoadAudioSet(MakeData(dir), 8000, 200, 2);
  CHECK(set.sample_rate_hz == 8000);
  REQUIRE(set.size() == 2);
  CHECK(set.examples[0].source.uttid == "good");
  CHECK(set.examples[1].source.uttid == "plain");
  CHECK(set.examples[1].label == "no");

  // Resampled: half as many samples (±1), the 200 Hz tone with its amplitude and
  // phase (soxr is linear phase, time-aligned), the 1 kHz parts cancelled.
  const std::vector<float>& y = set.audio[0];
  CHECK(std::abs(static_cast<long>(y.size()) - 8000) <= 1);
  double max_err = 0;
  const std::size_t edge = 160;  // 20 ms of filter start-up at either end
  for (std::size_t i = edge; i + edge < y.size(); ++i)
    max_err = std::max(max_err, std::abs(y[i] - Tone(kToneHz, kToneAmp, static_cast<double>(i) / 8000)));
  // Plus 0.5: the int16 rounding of the two channels, averaged.
  CHECK_MESSAGE(max_err <= tol::kResampleSineRel * kToneAmp + 0.5, "max error " << max_err);

  // Same rate, mono: the samples untouched.
  CHECK(set.audio[1] == Mono8k(4000, 2));
  CHECK(set.TotalSeconds() == doctest::Approx((y.size() + 4000) / 8000.0));

  // The list problem first, then one per bad file, in data-set order.
  REQUIRE(set.problems.size() == 3);
  CHECK(set.problems[0].where == (dir / "data.lst") + ":4");
  CHECK(set.problems[1].where == "corrupt");
  CHECK_MESSAGE(set.problems[1].reason.find(dir / "corrupt.wav") != std::string::npos, set.problems[1].reason);
  CHECK(set.problems[2].where == "short");
  CHECK_MESSAGE(set.problems[2].reason.find(dir / "short.wav") != std::string::npos, set.problems[2].reason);
  CHECK_MESSAGE(set.problems[2].reason.find("too short") != std::string::npos, set.problems[2].reason);
}

TEST_CASE("LoadAudioSet: the same result with 1 and 2 threads") {
  TempDir dir;
  const train::DataSet data = MakeData(dir);
  const train::AudioSet one = train::LoadAudioSet(data, 8000, 200, 1);
  const train::AudioSet two = train::LoadAudioSet(data, 8000, 200, 2);
  REQUIRE(one.size() == two.size());
  CHECK(one.audio == two.audio);
  for (std::size_t i = 0; i < one.size(); ++i) CHECK(one.examples[i].source.uttid == two.examples[i].source.uttid);
  REQUIRE(one.problems.size() == two.problems.size());
  for (std::size_t i = 0; i < one.problems.size(); ++i) {
    CHECK(one.problems[i].where == two.problems[i].where);
    CHECK(one.problems[i].reason == two.problems[i].reason);
  }
  // A lower minimum keeps the short file.
  CHECK(train::LoadAudioSet(data, 8000, 100, 2).size() == 3);
}
