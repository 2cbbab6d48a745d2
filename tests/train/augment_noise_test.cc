// Noise sources: recordings (random file, random start, wrap-around, errors
// naming the file), generated colours (spectral slopes) and the
// speech-active power.
#include <cmath>
#include <set>

#include "augment_test_util.h"
#include "auris/core/error.h"
#include "auris/audio/write.h"
#include "auris/dsp/real_fft.h"
#include "auris/train/augment.h"
#include "test_support.h"

namespace auris::train {
namespace {

using test::kRate;

std::vector<float> RandomInt16(int n, std::uint64_t seed) {
  Rng rng(seed);
  std::vector<float> x(n);
  for (float& v : x) v = static_cast<float>(static_cast<int>(rng.Index(20001)) - 10000);
  return x;
}

TEST_CASE("noise files: a random file, a random start, wrapping around, at the drawn SNR") {
  auris::test::TempDir dir;
  const std::vector<float> a = RandomInt16(3000, 1), b = RandomInt16(2000, 2);
  audio::WriteWav(dir / "a.wav", a, 16000);
  audio::WriteWav(dir / "b.wav", b, 16000);
  // A stereo file at 8 kHz: mixed to mono and resampled to the bank's rate.
  audio::WriteWav(dir / "c.wav", RandomInt16(2 * 1000, 3), 8000, 2);
  const NoiseBank bank({dir / "a.wav", dir / "b.wav", dir / "c.wav"}, kRate);
  REQUIRE(bank.size() == 3);
  CHECK(bank.Samples(0) == a);  // 16-bit samples at the bank's rate: exact
  CHECK(bank.Samples(1) == b);
  CHECK(bank.Samples(2).size() == 2000);
  CHECK(bank.Name(2) == dir / "c.wav");

  const std::vector<float> x = test::ToneBurst();  // 15680 samples: wraps 5+ times
  const double speech = test::kBurstAmplitude * test::kBurstAmplitude / 2;
  AugmentOptions o;
  o.noise_prob = 1;
  o.noise_files = {"given to the bank above"};
  std::set<int> files;
  std::set<std::size_t> starts;
  for (std::uint64_t seed = 1; seed <= 10; ++seed) {
    Rng rng(seed);
    const AugmentDraws d = DrawAugmentation(o, kRate, &bank, rng);
    const std::vector<float> y = AugmentWaveform(x, kRate, d, &bank);
    REQUIRE(y.size() == x.size());
    const std::vector<float>& src = bank.Samples(d.noise_source);
    const std::size_t start = d.noise_start % src.size();
    // Expected: the recording read from `start` with wrap-around, scaled to
    // the drawn SNR against the burst's active power.
    std::vector<float> segment(x.size());
    for (std::size_t i = 0; i < x.size(); ++i) segment[i] = src[(start + i) % src.size()];
    const double g =
        std::sqrt(speech / (test::MeanSquare(segment) * std::pow(10.0, d.snr_db / 10)));
    double worst = 0;
    for (std::size_t i = 0; i < x.size(); ++i) {
      const double expected = g * segment[i];
      const double error = std::abs((y[i] - x[i]) - expected);
      worst = std::max(worst, error / std::max(1.0, std::abs(expected)));
    }
    INFO(d.ToString());
    CHECK(worst < 1e-3);
    files.insert(d.noise_source);
    starts.insert(start);
  }
  CHECK(files.size() == 3);
  CHECK(starts.size() == 10);
}

TEST_CASE("noise files: unreadable or silent files throw auris::Error naming the file") {
  auris::test::TempDir dir;
  auris::test::WriteFile(dir / "junk.wav", "this is not audio at all");
  audio::WriteWav(dir / "silent.wav", std::vector<float>(800, 0.0f), 16000);
  for (const std::string& bad : {dir / "missing.wav", dir / "junk.wav", dir / "silent.wav"}) {
    std::string message;
    try {
      NoiseBank bank({bad}, kRate);
    } catch (const Error& e) {
      message = e.what();
    }
    INFO(message);
    CHECK(message.find("noise file " + bad) != std::string::npos);
  }
}

// Power in [lo, hi) Hz of Hann-windowed 512-sample frames, summed.
double BandPower(const std::vector<float>& x, double lo, double hi) {
  const int n = 512;
  dsp::RealFft fft(n);
  std::vector<float> power(n / 2 + 1);
  double sum = 0;
  for (std::size_t start = 0; start + n <= x.size(); start += n) {
    for (int i = 0; i < n; ++i)
      fft.Input()[i] = x[start + i] * static_cast<float>(0.5 - 0.5 * std::cos(2 * M_PI * i / n));
    fft.PowerSpectrum(power.data());
    for (int k = 0; k <= n / 2; ++k) {
      const double f = k * kRate / n;
      if (f >= lo && f < hi) sum += power[k];
    }
  }
  return sum;
}

TEST_CASE("generated noise: white is flat, pink flat per octave, brown falls 6 dB per octave") {
  // Power in one octave [250, 500) Hz over the octave [2000, 4000) Hz:
  // white 250/2000 = 1/8 (flat per Hz), pink 1, brown (1/f^2) 8.
  const double expected[] = {1.0 / 8, 1.0, 8.0};
  for (int c = 0; c < kNumNoiseColours; ++c) {
    const auto colour = static_cast<NoiseColour>(c);
    const std::vector<float> x = ColouredNoise(colour, 64 * 512, 5);
    const double ratio = BandPower(x, 250, 500) / BandPower(x, 2000, 4000);
    INFO(NoiseColourName(colour) << " ratio " << ratio);
    CHECK(ratio > expected[c] / 2);
    CHECK(ratio < expected[c] * 2);
    CHECK(ColouredNoise(colour, 1000, 5) ==
          std::vector<float>(x.begin(), x.begin() + 1000));  // seeded
    CHECK(ColouredNoise(colour, 1000, 6) != std::vector<float>(x.begin(), x.begin() + 1000));
  }
}

TEST_CASE("speech-active power ignores silence and shift zeros") {
  const std::vector<float> burst = test::ToneBurst();
  const double active = test::kBurstAmplitude * test::kBurstAmplitude / 2;
  CHECK(ActivePower(burst, kRate) == doctest::Approx(active).epsilon(1e-6));
  CHECK(test::MeanSquare(burst) < 0.6 * active);  // the whole-signal power would be wrong
  // A block 40 dB down is not active; one 20 dB down is.
  std::vector<float> x = test::Tone(1000, 1000, 3200);
  for (int i = 0; i < 320; ++i) x[i] *= 0.01f;
  CHECK(ActivePower(x, kRate) == doctest::Approx(active).epsilon(1e-6));
  for (int i = 0; i < 320; ++i) x[i] *= 10.0f;
  CHECK(ActivePower(x, kRate) == doctest::Approx((9 * active + active / 100) / 10).epsilon(1e-6));
  CHECK(ActivePower(std::vector<float>(100, 0.0f), kRate) == 0);
}

}  // namespace
}  // namespace auris::train
