// The boundary head's training side: per-frame targets from word times
// (hand-computed frame centres), word times moved as augmentation moves the
// audio (checked on a real augmented click), and the loss and its gradient
// (direct formula and finite differences).
#include <doctest/doctest.h>

#include <cmath>
#include <vector>

#include "auris/core/rng.h"
#include "auris/train/augment.h"
#include "auris/train/boundary_targets.h"

using namespace auris;
using namespace auris::train;

TEST_CASE("BoundaryTargets: onset / inside / outside from word times, hand-computed frame centres") {
  dsp::FrameOptions f;  // 25 ms / 10 ms, snip edges: frame t centred at 0.01 t + 0.0125 s
  f.sample_frequency_hz = 8000;
  // Two abutting words and one too short to hold a frame centre.
  const std::vector<WordSpan> words = {{"a", 0.10, 0.30}, {"b", 0.30, 0.45}, {"c", 0.5005, 0.5050}};
  const std::vector<int> c = BoundaryTargets(words, 60, f, 40);
  REQUIRE(c.size() == 60);
  std::vector<int> want(60, 0);
  for (int t = 9; t <= 12; ++t) want[t] = 1;   // centres 0.1025..0.1325 < 0.14
  for (int t = 13; t <= 28; ++t) want[t] = 2;  // .. 0.2925 < 0.30
  for (int t = 29; t <= 32; ++t) want[t] = 1;  // 0.3025..0.3325 < 0.34
  for (int t = 33; t <= 43; ++t) want[t] = 2;  // .. 0.4425 < 0.45
  want[49] = 1;                                // nearest to c's middle 0.50275
  CHECK(c == want);
  // Frames past the end of the audio are simply not there.
  CHECK(BoundaryTargets(words, 20, f, 40) == std::vector<int>(want.begin(), want.begin() + 20));
}

TEST_CASE("AugmentedTime: where a click lands after speed, shift and padding") {
  const double rate = 8000;
  std::vector<float> audio(8000, 0.0f);
  audio[4000] = 10000;  // t = 0.5 s
  for (double speed : {0.9, 1.0, 1.1}) {
    for (int shift : {-240, 0, 80}) {
      AugmentDraws d;
      d.speed = speed;
      d.shift_samples = shift;
      d.lead_pad_samples = 160;
      const std::vector<float> out = AugmentWaveform(audio, rate, d, nullptr);
      std::size_t peak = 0;
      for (std::size_t i = 0; i < out.size(); ++i)
        if (std::abs(out[i]) > std::abs(out[peak])) peak = i;
      CAPTURE(speed);
      CAPTURE(shift);
      CHECK(std::abs(peak / rate - AugmentedTime(d, 0.5, rate)) <= 1.5 / rate);
    }
  }
}

TEST_CASE("BoundaryCrossEntropy: loss by the direct formula, gradient by finite differences") {
  Rng rng(5);
  nn::SeqBatch out;
  out.steps = 4, out.batch = 3, out.lengths = {4, 2, 3};
  out.data = Matrix(12, 5);  // 2 other outputs, then the 3 boundary logits
  for (Eigen::Index i = 0; i < out.data.size(); ++i) out.data.data()[i] = static_cast<float>(rng.Uniform() * 4 - 2);
  out.ZeroPadding();
  const std::vector<std::vector<int>> cls = {{0, 1, 2, 2}, {}, {1, 2, 0}};  // sequence 1 has no targets
  const double w = 0.3;
  auto loss_of = [&](const nn::SeqBatch& o) {
    nn::SeqBatch g = nn::SeqBatch::ZerosLike(o, o.Dim());
    return BoundaryCrossEntropy(o, cls, w, g);
  };
  double direct = 0;
  for (int b : {0, 2})
    for (int t = 0; t < out.lengths[b]; ++t) {
      double z = 0;
      for (int k = 2; k < 5; ++k) z += std::exp(static_cast<double>(out.Frame(t, b)(k)));
      direct -= out.Frame(t, b)(2 + cls[b][t]) - std::log(z);
    }
  nn::SeqBatch grad = nn::SeqBatch::ZerosLike(out, out.Dim());
  CHECK(BoundaryCrossEntropy(out, cls, w, grad) == doctest::Approx(w * direct).epsilon(1e-5));
  for (int t = 0; t < 4; ++t)
    for (int b = 0; b < 3; ++b)
      for (int k = 0; k < 5; ++k) {
        nn::SeqBatch plus = out, minus = out;
        plus.Frame(t, b)(k) += 1e-2f, minus.Frame(t, b)(k) -= 1e-2f;
        const double numeric = (loss_of(plus) - loss_of(minus)) / 2e-2;
        const bool counted = b != 1 && t < out.lengths[b] && k >= 2;
        CAPTURE(t);
        CAPTURE(b);
        CAPTURE(k);
        CHECK(grad.Frame(t, b)(k) == doctest::Approx(counted ? numeric : 0.0).epsilon(1e-2).scale(1e-3));
      }
  // Targets whose length is not the sequence's are an error.
  nn::SeqBatch g = nn::SeqBatch::ZerosLike(out, out.Dim());
  CHECK_THROWS(BoundaryCrossEntropy(out, {{0, 1}, {}, {1, 2, 0}}, w, g));
}
