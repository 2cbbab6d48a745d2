// CTC forced alignment against a brute-force search over every path, and
// hand-worked cases (repeated labels need a blank between them).
#include "auris/decode/ctc_forced_align.h"

#include <doctest/doctest.h>

#include <cmath>
#include <limits>
#include <vector>

#include "auris/core/error.h"
#include "random_log_probs.h"

namespace auris::decode {
namespace {

using test::RandomLogProbs;

// The best of all C^T paths that collapse to `targets`: its log-probability
// and each target's first / last frame.
CtcAlignment BruteForce(const Matrix& lp, const std::vector<int>& targets, int blank) {
  const int T = static_cast<int>(lp.rows()), C = static_cast<int>(lp.cols());
  CtcAlignment best;
  best.log_prob = -std::numeric_limits<double>::infinity();
  std::vector<int> path(T, 0);
  for (;;) {
    std::vector<int> out, first, last;
    for (int t = 0; t < T; ++t) {
      if (path[t] == blank) continue;
      if (t == 0 || path[t] != path[t - 1]) out.push_back(path[t]), first.push_back(t), last.push_back(t);
      else last.back() = t;
    }
    if (out == targets) {
      double logp = 0;
      for (int t = 0; t < T; ++t) logp += lp(t, path[t]);
      if (logp > best.log_prob) best = {first, last, logp};
    }
    int t = 0;
    while (t < T && ++path[t] == C) path[t++] = 0;
    if (t == T) break;
  }
  return best;
}

}  // namespace

TEST_CASE("CtcForcedAlign finds the best path of the targets, as an exhaustive search does") {
  const std::vector<std::vector<int>> cases = {{1}, {2, 1}, {1, 1}, {3, 1, 3}, {2, 2, 1}};
  for (int blank : {0, 2}) {
    for (int T : {3, 5, 7}) {
      for (const std::vector<int>& raw : cases) {
        std::vector<int> targets = raw;
        for (int& k : targets) k = k == blank ? 0 : k;  // never the blank
        const Matrix lp = RandomLogProbs(T, 4, 100 + T + blank);
        const CtcAlignment want = BruteForce(lp, targets, blank);
        CAPTURE(blank);
        CAPTURE(T);
        if (want.first_frame.empty()) {  // no path: too few frames
          CHECK_THROWS_AS(CtcForcedAlign(lp, targets, blank), Error);
          continue;
        }
        const CtcAlignment got = CtcForcedAlign(lp, targets, blank);
        CHECK(got.log_prob == doctest::Approx(want.log_prob).epsilon(1e-6));
        CHECK(got.first_frame == want.first_frame);
        CHECK(got.last_frame == want.last_frame);
      }
    }
  }
}

TEST_CASE("CtcForcedAlign follows the reference even where another label is likelier") {
  // Frames favour "2" in the middle, but the reference says 1: the alignment
  // puts 1 where it is least unlikely (frame 2).
  Matrix lp(4, 3);
  lp << std::log(0.8f), std::log(0.1f), std::log(0.1f),  //
      std::log(0.2f), std::log(0.05f), std::log(0.75f),  //
      std::log(0.1f), std::log(0.3f), std::log(0.6f),    //
      std::log(0.8f), std::log(0.1f), std::log(0.1f);
  const CtcAlignment a = CtcForcedAlign(lp, {1});
  REQUIRE(a.first_frame.size() == 1);
  CHECK(a.first_frame[0] == 2);
  CHECK(a.last_frame[0] == 2);
  CHECK(a.log_prob == doctest::Approx(std::log(0.8 * 0.2 * 0.3 * 0.8)).epsilon(1e-6));
}

TEST_CASE("CtcForcedAlign rejects what cannot be aligned") {
  const Matrix lp = RandomLogProbs(3, 3, 7);
  CHECK_THROWS_AS(CtcForcedAlign(lp, {1, 1, 1}), Error);  // needs 5 frames
  CHECK_THROWS_AS(CtcForcedAlign(lp, {0}), Error);        // the blank
  CHECK_THROWS_AS(CtcForcedAlign(lp, {3}), Error);        // out of range
  CHECK_NOTHROW(CtcForcedAlign(lp, {1, 1}));              // 1 blank 1
  const CtcAlignment none = CtcForcedAlign(lp, {});
  CHECK(none.first_frame.empty());
  CHECK(none.log_prob == doctest::Approx(lp(0, 0) + lp(1, 0) + lp(2, 0)));
}

}  // namespace auris::decode
