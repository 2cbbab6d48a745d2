#include "auris/decode/word_segmentation.h"

#include <doctest/doctest.h>

#include <cmath>
#include <random>

#include "auris/core/error.h"

namespace {

using auris::Matrix;
using auris::decode::FrameSpan;
using auris::decode::SegmentWords;

// T x 3 log-probs: 0.8 for the intended class of each frame, 0.1 for the others.
Matrix Peaked(const std::vector<int>& classes) {
  Matrix m(static_cast<int>(classes.size()), 3);
  for (std::size_t t = 0; t < classes.size(); ++t)
    for (int c = 0; c < 3; ++c) m(static_cast<int>(t), c) = std::log(c == classes[t] ? 0.8f : 0.1f);
  return m;
}

// Brute force: every class sequence; valid ones follow
// outside* (onset+ inside* outside*)^n; words = maximal runs starting at an onset.
std::vector<FrameSpan> BruteForce(const Matrix& lp, int n) {
  const int T = static_cast<int>(lp.rows());
  double best = -INFINITY;
  std::vector<FrameSpan> best_spans;
  std::vector<int> seq(T, 0);
  for (long code = 0; code < std::lround(std::pow(3, T)); ++code) {
    long c = code;
    for (int t = 0; t < T; ++t) seq[t] = static_cast<int>(c % 3), c /= 3;
    std::vector<FrameSpan> spans;
    bool ok = true;
    for (int t = 0; t < T && ok; ++t) {
      if (seq[t] == 1 && (t == 0 || seq[t - 1] != 1)) spans.push_back({t, t});  // a new word
      else if (seq[t] == 2 && (t == 0 || seq[t - 1] == 0)) ok = false;          // inside needs onset/inside before
      if (seq[t] != 0 && !spans.empty()) spans.back().last = t;
    }
    if (!ok || static_cast<int>(spans.size()) != n) continue;
    double s = 0;
    for (int t = 0; t < T; ++t) s += lp(t, seq[t]);
    if (s > best + 1e-9) best = s, best_spans = spans;
  }
  return best_spans;
}

}  // namespace

TEST_CASE("SegmentWords: two abutting words and a pause, hand-made posteriors") {
  // frames: out out on in in on in in out out -> words [2,4] and [5,7]
  const Matrix lp = Peaked({0, 0, 1, 2, 2, 1, 2, 2, 0, 0});
  const auto two = SegmentWords(lp, 2);
  REQUIRE(two.size() == 2);
  CHECK(two[0].first == 2);
  CHECK(two[0].last == 4);
  CHECK(two[1].first == 5);
  CHECK(two[1].last == 7);
  // Forced to one word, the second onset frame is read as inside the first word.
  const auto one = SegmentWords(lp, 1);
  REQUIRE(one.size() == 1);
  CHECK(one[0].first == 2);
  CHECK(one[0].last == 7);
  // Forced to three, one word must be carved out of the frames somewhere.
  CHECK(SegmentWords(lp, 3).size() == 3);
  CHECK(SegmentWords(lp, 0).empty());
}

TEST_CASE("SegmentWords: equals brute-force search over every class sequence") {
  std::mt19937 gen(7);
  std::uniform_real_distribution<float> u(0.01f, 1.0f);
  for (int trial = 0; trial < 40; ++trial) {
    const int T = 3 + trial % 6;  // 3..8 frames
    Matrix lp(T, 3);
    for (int t = 0; t < T; ++t) {
      float p[3] = {u(gen), u(gen), u(gen)};
      const float sum = p[0] + p[1] + p[2];
      for (int c = 0; c < 3; ++c) lp(t, c) = std::log(p[c] / sum);
    }
    for (int n = 1; 2 * n - 1 <= T && n <= 3; ++n) {
      CAPTURE(trial);
      CAPTURE(n);
      const auto got = SegmentWords(lp, n);
      const auto want = BruteForce(lp, n);
      REQUIRE(got.size() == want.size());
      for (std::size_t w = 0; w < got.size(); ++w) {
        CHECK(got[w].first == want[w].first);
        CHECK(got[w].last == want[w].last);
      }
    }
  }
}

TEST_CASE("SegmentWords: errors") {
  const Matrix lp = Peaked({0, 1, 2});
  CHECK_THROWS_AS(SegmentWords(lp, 3), auris::Error);  // 3 words need 5 frames
  CHECK(SegmentWords(lp, 2).size() == 2);
  CHECK_THROWS_AS(SegmentWords(Matrix::Zero(3, 2), 1), auris::Error);
  Matrix bad = lp;
  bad(1, 2) = NAN;
  CHECK_THROWS_AS(SegmentWords(bad, 1), auris::Error);
}
