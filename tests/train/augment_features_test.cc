// Feature-side augmentation: SpecAugment masks and VTLP warps.
#include <cmath>
#include <set>

#include "augment_test_util.h"
#include "auris/core/error.h"
#include "auris/dsp/feature_extractor.h"
#include "auris/pipeline/vtln_search.h"
#include "auris/train/augment.h"
#include "test_support.h"

namespace auris::train {
namespace {

Matrix RandomFeatures(int rows, int cols, std::uint64_t seed) {
  Rng rng(seed);
  Matrix m(rows, cols);
  for (int t = 0; t < rows; ++t)
    for (int d = 0; d < cols; ++d) m(t, d) = static_cast<float>(rng.Gaussian() + 3 * d);
  return m;
}

TEST_CASE("SpecAugment: the masks asked for, column means inside, nothing else touched") {
  AugmentOptions o;
  o.time_masks = 2;
  o.time_mask_max_frames = 7;
  o.freq_masks = 3;
  o.freq_mask_max_bins = 4;
  std::set<int> time_widths, freq_widths;
  for (std::uint64_t seed = 0; seed < 200; ++seed) {
    const Matrix before = RandomFeatures(50, 20, seed);
    std::vector<double> means(20, 0.0);
    for (int d = 0; d < 20; ++d) {
      for (int t = 0; t < 50; ++t) means[d] += before(t, d);
      means[d] /= 50;
    }
    Matrix m = before;
    Rng rng(seed);
    const std::vector<SpecMask> masks = SpecAugment(m, o, rng);
    REQUIRE(masks.size() == 5);
    std::vector<bool> row_masked(50, false), col_masked(20, false);
    for (std::size_t i = 0; i < masks.size(); ++i) {
      const SpecMask& k = masks[i];
      CHECK(k.time == (i < 2));
      CHECK(k.width >= 0);
      CHECK(k.width <= (k.time ? 7 : 4));
      CHECK(k.start >= 0);
      CHECK(k.start + k.width <= (k.time ? 50 : 20));
      (k.time ? time_widths : freq_widths).insert(k.width);
      std::vector<bool>& masked = k.time ? row_masked : col_masked;
      for (int j = k.start; j < k.start + k.width; ++j) masked[j] = true;
    }
    for (int t = 0; t < 50; ++t) {
      for (int d = 0; d < 20; ++d) {
        if (row_masked[t] || col_masked[d]) {
          CHECK(m(t, d) == doctest::Approx(means[d]).epsilon(1e-6));
        } else {
          CHECK(m(t, d) == before(t, d));  // bit for bit
        }
      }
    }
  }
  // Every width from 0 to the maximum occurs.
  CHECK(time_widths.size() == 8);
  CHECK(freq_widths.size() == 5);
}

TEST_CASE("SpecAugment: deterministic per seed, clipped to small matrices, off by default") {
  AugmentOptions o;
  o.time_masks = 3;
  o.time_mask_max_frames = 15;
  o.freq_masks = 2;
  o.freq_mask_max_bins = 40;  // more than the 12 columns
  Matrix a = RandomFeatures(40, 12, 1), b = a, c = a;
  Rng ra(9), rb(9), rc(10);
  const auto ma = SpecAugment(a, o, ra);
  SpecAugment(b, o, rb);
  SpecAugment(c, o, rc);
  CHECK(a == b);
  CHECK(a != c);
  for (const SpecMask& k : ma) CHECK(k.start + k.width <= (k.time ? 40 : 12));
  Matrix d = RandomFeatures(10, 6, 1);
  const Matrix before = d;
  Rng rd(1);
  CHECK(SpecAugment(d, AugmentOptions{}, rd).empty());
  CHECK(d == before);
}

// Mel bin with the most energy, averaged over frames, for a tone.
int PeakMelBin(double tone_hz, double warp) {
  dsp::FeatureOptions f;
  f.type = "fbank";  // Kaldi defaults: 23 bins, 20 Hz .. Nyquist at 16 kHz
  const std::vector<float> x = test::Tone(tone_hz, 1000, 8000);
  const Matrix m = dsp::ComputeFeatures(pipeline::WithWarp(f, warp), x.data(), x.size());
  Eigen::Index best = 0;
  m.colwise().mean().maxCoeff(&best);
  return static_cast<int>(best);
}

TEST_CASE("VTLP: a warp > 1 moves a tone's energy to a higher mel bin, < 1 to a lower one") {
  // Kaldi's filter k is centred at mel_low + (k + 1) * delta; a warp a maps
  // the filter corners f -> f / a (between the VTLN inflection points), so
  // with warp a filter k is centred at c_k / a: a tone there peaks in bin k.
  auto mel = [](double hz) { return 1127 * std::log(1 + hz / 700); };
  const double mel_low = mel(20), delta = (mel(8000) - mel_low) / 24;
  for (int k : {5, 10, 15}) {
    const double centre = 700 * (std::exp((mel_low + (k + 1) * delta) / 1127) - 1);
    INFO("bin " << k << " centre " << centre);
    CHECK(PeakMelBin(centre, 1.0) == k);
    CHECK(PeakMelBin(centre / 1.2, 1.2) == k);
    CHECK(PeakMelBin(centre / 1.2, 1.0) < k);  // the same tone unwarped: lower bin
    CHECK(PeakMelBin(centre / 0.85, 0.85) == k);
    CHECK(PeakMelBin(centre / 0.85, 1.0) > k);
    CHECK(PeakMelBin(centre, 1.2) > k);   // warp > 1: higher bin for the same tone
    CHECK(PeakMelBin(centre, 0.85) < k);  // warp < 1: lower bin
  }
}

TEST_CASE("VTLP: warps drawn on the 0.01 grid (or continuous), validated against the features") {
  AugmentOptions o;
  o.vtlp_min = 0.9;
  o.vtlp_max = 1.1;
  std::set<long> grid;
  for (std::uint64_t seed = 0; seed < 600; ++seed) {
    Rng rng(seed);
    const double w = DrawAugmentation(o, 16000, nullptr, rng).vtln_warp;
    CHECK(w >= 0.9 - 1e-12);
    CHECK(w <= 1.1 + 1e-12);
    CHECK(std::abs(w * 100 - std::round(w * 100)) < 1e-9);
    grid.insert(std::lround(w * 100));
  }
  CHECK(grid.size() == 21);  // 0.90, 0.91, ..., 1.10
  o.vtlp_step = 0;
  Rng rng(3);
  const double w = DrawAugmentation(o, 16000, nullptr, rng).vtln_warp;
  CHECK(std::abs(w * 100 - std::round(w * 100)) > 1e-6);

  dsp::FeatureOptions f;
  CHECK(pipeline::WithWarp(f, 0.93).mfcc.mel.vtln_warp == 0.93f);
  CHECK(pipeline::WithWarp(f, 0.93).fbank.mel.vtln_warp == 0.93f);
  ValidateVtlp(o, f);  // mfcc defaults: fine
  f.mfcc.mel.low_freq_hz = 150;  // above --vtln-low 100
  CHECK_THROWS_WITH_AS(ValidateVtlp(o, f), doctest::Contains("--vtln-low (100)"), Error);
  f = {};
  f.type = "spectrogram";
  CHECK_THROWS_WITH_AS(pipeline::WithWarp(f, 1.1), doctest::Contains("needs mel features"), Error);
  CHECK_NOTHROW(pipeline::WithWarp(f, 1.0));
}

}  // namespace
}  // namespace auris::train
