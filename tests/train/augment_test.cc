// Waveform augmentation (speed, shift, noise at an SNR, gain), checked
// against quantities the tests compute themselves.
#include "auris/train/augment.h"

#include <algorithm>
#include <cmath>
#include <set>
#include <thread>

#include "augment_test_util.h"
#include "auris/core/error.h"
#include "test_support.h"

namespace auris::train {
namespace {

using test::kRate;

std::vector<float> Augment(const std::vector<float>& x, const AugmentOptions& o,
                           std::uint64_t seed, AugmentDraws* draws = nullptr) {
  Rng rng(seed);
  const AugmentDraws d = DrawAugmentation(o, kRate, nullptr, rng);
  if (draws != nullptr) *draws = d;
  return AugmentWaveform(x, kRate, d, nullptr);
}

TEST_CASE("augment: defaults change nothing") {
  const std::vector<float> x = test::ToneBurst();
  AugmentDraws d;
  CHECK(Augment(x, AugmentOptions{}, 7, &d) == x);
  CHECK(d.speed == 1);
  CHECK(d.shift_samples == 0);
  CHECK(!d.add_noise);
  CHECK(d.gain_db == 0);
  CHECK(d.vtln_warp == 1);
}

TEST_CASE("augment: additive noise lands at the drawn SNR of the speech-active power") {
  const std::vector<float> x = test::ToneBurst();
  const double speech = test::kBurstAmplitude * test::kBurstAmplitude / 2;  // active power
  AugmentOptions o;
  o.noise_prob = 1;
  o.snr_db_min = 5;
  o.snr_db_max = 30;
  std::set<int> colours;
  double worst = 0;
  for (std::uint64_t seed = 1; seed <= 8; ++seed) {
    AugmentDraws d;
    const std::vector<float> y = Augment(x, o, seed, &d);
    REQUIRE(y.size() == x.size());
    CHECK(d.add_noise);
    CHECK(d.snr_db >= 5);
    CHECK(d.snr_db <= 30);
    std::vector<float> noise(x.size());
    for (std::size_t i = 0; i < x.size(); ++i) noise[i] = y[i] - x[i];
    const double achieved = 10 * std::log10(speech / test::MeanSquare(noise));
    INFO("seed " << seed << " " << d.ToString() << " achieved " << achieved);
    CHECK(std::abs(achieved - d.snr_db) < 0.1);
    worst = std::max(worst, std::abs(achieved - d.snr_db));
    // The noise added is the drawn colour's generated noise, scaled.
    const std::vector<float> ref =
        ColouredNoise(static_cast<NoiseColour>(d.noise_source), x.size(), d.noise_start);
    double dot = 0;
    for (std::size_t i = 0; i < x.size(); ++i) dot += static_cast<double>(noise[i]) * ref[i];
    const double corr =
        dot / std::sqrt(test::MeanSquare(noise) * test::MeanSquare(ref)) / x.size();
    CHECK(corr > 0.99999);
    colours.insert(d.noise_source);
  }
  CHECK(colours.size() >= 2);
  MESSAGE("worst |achieved - drawn SNR| " << worst << " dB");
}

TEST_CASE("augment: noise_prob is the fraction of utterances that get noise") {
  AugmentOptions o;
  o.noise_prob = 0.3;
  int noisy = 0;
  for (std::uint64_t seed = 0; seed < 1000; ++seed) {
    Rng rng(seed);
    noisy += DrawAugmentation(o, kRate, nullptr, rng).add_noise;
  }
  CHECK(noisy > 250);
  CHECK(noisy < 350);
  // Silence has no active power: no noise is added to it.
  o.noise_prob = 1;
  const std::vector<float> silence(4000, 0.0f);
  CHECK(Augment(silence, o, 3) == silence);
}

TEST_CASE("augment: gain scales the RMS by exactly the drawn factor") {
  const std::vector<float> x = test::ToneBurst();
  AugmentOptions o;
  o.gain_db_min = o.gain_db_max = 6;
  std::vector<float> y = Augment(x, o, 1);
  CHECK(std::sqrt(test::MeanSquare(y) / test::MeanSquare(x)) ==
        doctest::Approx(std::pow(10.0, 6.0 / 20)).epsilon(1e-6));
  o.gain_db_min = -10;
  o.gain_db_max = 10;
  std::set<double> gains;
  for (std::uint64_t seed = 1; seed <= 5; ++seed) {
    AugmentDraws d;
    y = Augment(x, o, seed, &d);
    CHECK(d.gain_db >= -10);
    CHECK(d.gain_db <= 10);
    CHECK(std::sqrt(test::MeanSquare(y) / test::MeanSquare(x)) ==
          doctest::Approx(std::pow(10.0, d.gain_db / 20)).epsilon(1e-6));
    gains.insert(d.gain_db);
  }
  CHECK(gains.size() == 5);
}

TEST_CASE("augment: speed perturbation scales length by 1/factor and pitch by factor") {
  const std::vector<float> x = test::Tone(440, 3000, 16000);
  for (double speed : {1.1, 0.9}) {
    AugmentOptions o;
    o.speed_min = o.speed_max = speed;
    const std::vector<float> y = Augment(x, o, 1);
    INFO("speed " << speed);
    CHECK(std::abs(static_cast<double>(y.size()) - 16000 / speed) <= 1);
    // Away from the resampler's edges.
    const double f = test::ZeroCrossingFrequency(y, 320, static_cast<int>(y.size()) - 320);
    CHECK(f == doctest::Approx(440 * speed).epsilon(1e-4));
  }
}

TEST_CASE("augment: time shift moves a click by the drawn number of samples") {
  std::vector<float> x(4000, 0.0f);
  x[1000] = 5000;
  AugmentOptions o;
  o.shift_ms = 10;  // 160 samples at 16 kHz
  bool delayed = false, advanced = false;
  for (std::uint64_t seed = 1; seed <= 20; ++seed) {
    AugmentDraws d;
    const std::vector<float> y = Augment(x, o, seed, &d);
    INFO(d.ToString());
    CHECK(std::abs(d.shift_samples) <= 160);
    REQUIRE(static_cast<int>(y.size()) == 4000 + d.shift_samples);
    const auto click = std::max_element(y.begin(), y.end()) - y.begin();
    CHECK(click == 1000 + d.shift_samples);
    CHECK(y[click] == 5000);
    CHECK(test::MeanSquare(y) * y.size() == 5000.0 * 5000.0);  // nothing else added
    delayed |= d.shift_samples > 0;
    advanced |= d.shift_samples < 0;
  }
  CHECK(delayed);
  CHECK(advanced);
  // An advance never empties the signal.
  AugmentDraws d;
  d.shift_samples = -100;
  CHECK(AugmentWaveform(std::vector<float>(30, 1.0f), kRate, d, nullptr).size() == 1);
}

AugmentOptions Everything() {
  AugmentOptions o;
  o.speed_min = 0.9;
  o.speed_max = 1.1;
  o.gain_db_min = -6;
  o.gain_db_max = 6;
  o.shift_ms = 20;
  o.noise_prob = 1;
  o.vtlp_min = 0.9;
  o.vtlp_max = 1.1;
  return o;
}

TEST_CASE("augment: same seed gives identical output, different seeds differ, on any thread") {
  const std::vector<float> x = test::ToneBurst();
  const AugmentOptions o = Everything();
  AugmentDraws a, b, c;
  const std::vector<float> ya = Augment(x, o, 42, &a);
  const std::vector<float> yb = Augment(x, o, 42, &b);
  const std::vector<float> yc = Augment(x, o, 43, &c);
  CHECK(ya == yb);
  CHECK(a.ToString() == b.ToString());
  CHECK(ya != yc);
  CHECK(a.speed != c.speed);
  CHECK(a.snr_db != c.snr_db);
  // Two threads at once reproduce the sequential results.
  std::vector<std::vector<float>> sequential, parallel(4);
  for (std::uint64_t s = 0; s < 4; ++s) sequential.push_back(Augment(x, o, 100 + s));
  std::thread t1([&] { for (int s : {0, 2}) parallel[s] = Augment(x, o, 100 + s); });
  std::thread t2([&] { for (int s : {1, 3}) parallel[s] = Augment(x, o, 100 + s); });
  t1.join();
  t2.join();
  CHECK(parallel == sequential);
}

TEST_CASE("augment: options are validated, errors name the field") {
  auto error_of = [](AugmentOptions o) -> std::string {
    try {
      o.Validate();
    } catch (const Error& e) {
      return e.what();
    }
    return "<no error>";
  };
  AugmentOptions o;
  CHECK(error_of(o) == "<no error>");
  o.speed_min = 1.2;
  CHECK(error_of(o).find("speed_min (1.2) must be <= speed_max (1)") != std::string::npos);
  o = {};
  o.speed_min = o.speed_max = 0;
  CHECK(error_of(o).find("speed_min (0) must be > 0") != std::string::npos);
  o = {};
  o.noise_prob = 1.5;
  CHECK(error_of(o).find("noise_prob (1.5)") != std::string::npos);
  o = {};
  o.shift_ms = -1;
  CHECK(error_of(o).find("shift_ms (-1)") != std::string::npos);
  o = {};
  o.snr_db_min = 40;
  CHECK(error_of(o).find("snr_db_min (40)") != std::string::npos);
  o = {};
  o.freq_mask_max_bins = -2;
  CHECK(error_of(o).find("freq_mask_max_bins (-2)") != std::string::npos);
  o = {};
  o.vtlp_min = 0.951;
  o.vtlp_max = 0.959;
  CHECK(error_of(o).find("no multiple of vtlp_step") != std::string::npos);
  // noise_files without a bank.
  o = {};
  o.noise_files = {"noise.wav"};
  Rng rng(1);
  CHECK_THROWS_AS(DrawAugmentation(o, kRate, nullptr, rng), Error);
  CHECK(Everything().ToString().find("vtlp=[0.9, 1.1]") != std::string::npos);
}

TEST_CASE("pad: zeros before and after the audio, each length drawn in [0, pad_ms]") {
  AugmentOptions o;
  o.pad_ms = 10;  // 80 samples at 8 kHz
  const std::vector<float> x(100, 1.0f);
  int longest = 0;
  bool saw_zero = false;
  for (std::uint64_t seed = 0; seed < 200; ++seed) {
    Rng rng(seed);
    const AugmentDraws d = DrawAugmentation(o, 8000, nullptr, rng);
    REQUIRE(d.lead_pad_samples >= 0);
    REQUIRE(d.lead_pad_samples <= 80);
    REQUIRE(d.trail_pad_samples >= 0);
    REQUIRE(d.trail_pad_samples <= 80);
    const std::vector<float> y = AugmentWaveform(x, 8000, d, nullptr);
    REQUIRE(y.size() == 100u + d.lead_pad_samples + d.trail_pad_samples);
    for (int i = 0; i < d.lead_pad_samples; ++i) CHECK(y[i] == 0.0f);
    for (int i = 0; i < 100; ++i) CHECK(y[d.lead_pad_samples + i] == 1.0f);
    for (std::size_t i = d.lead_pad_samples + 100u; i < y.size(); ++i) CHECK(y[i] == 0.0f);
    longest = std::max({longest, d.lead_pad_samples, d.trail_pad_samples});
    saw_zero = saw_zero || d.lead_pad_samples == 0 || d.trail_pad_samples == 0;
  }
  CHECK(longest == 80);
  CHECK(saw_zero);
}

}  // namespace
}  // namespace auris::train
