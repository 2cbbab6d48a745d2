// KeywordDecider on hand-made score sequences (expected values worked out
// by hand): moving-average smoothing, thresholds and per-label overrides,
// one event per high stretch, re-arming after the refractory period,
// per-label refractory, "_" labels never fire.
#include <doctest/doctest.h>

#include <map>
#include <vector>

#include "auris/core/error.h"
#include "auris/pipeline/keyword_decider.h"

using namespace auris;
using namespace auris::pipeline;

namespace {

const std::vector<std::string> kLabels = {"a", "b", "_bg"};

// Events at the threshold crossing (no waiting for the peak) unless peak_wait_ms is given.
KeywordDecisionOptions Opts(double smooth_ms, double threshold, double refractory_ms = 800,
                            std::map<std::string, double> overrides = {}, double peak_wait_ms = 0) {
  KeywordDecisionOptions o;
  o.peak_wait_ms = peak_wait_ms;
  o.smooth_ms = smooth_ms;
  o.threshold = threshold;
  o.refractory_ms = refractory_ms;
  o.label_thresholds = std::move(overrides);
  return o;
}

// Runs the scores (one {a, b, _bg} row per frame); returns the frames at which each label fired.
std::vector<std::vector<int>> Fire(KeywordDecider& d, const std::vector<std::vector<float>>& rows) {
  std::vector<std::vector<int>> fired(kLabels.size());
  for (std::size_t t = 0; t < rows.size(); ++t)
    for (int k : d.Accept(rows[t].data())) fired[static_cast<std::size_t>(k)].push_back(static_cast<int>(t));
  return fired;
}

}  // namespace

TEST_CASE("KeywordDecider: moving average over smooth_ms, fires when it reaches the threshold") {
  KeywordDecider d(kLabels, Opts(30, 0.8, 0), 0.010);  // 3 frames
  REQUIRE(d.SmoothFrames() == 3);
  const std::vector<std::vector<float>> rows = {{0.0f, 0.3f, 1}, {0.9f, 0.6f, 1}, {0.9f, 0.0f, 1},
                                                {0.9f, 0.0f, 1}, {0.3f, 0.0f, 1}};
  // a: 0, 0.45, 0.6, 0.9, 0.7 (means of the last <= 3); b: 0.3, 0.45, 0.3, 0.2, 0.
  const std::vector<float> want_a = {0.0f, 0.45f, 0.6f, 0.9f, 0.7f};
  const std::vector<float> want_b = {0.3f, 0.45f, 0.3f, 0.2f, 0.0f};
  for (std::size_t t = 0; t < rows.size(); ++t) {
    const std::span<const int> fired = d.Accept(rows[t].data());
    CHECK(d.Smoothed()[0] == doctest::Approx(want_a[t]));
    CHECK(d.Smoothed()[1] == doctest::Approx(want_b[t]));
    CHECK(d.Smoothed()[2] == doctest::Approx(1.0));
    // Only a, only at frame 3; _bg is at 1.0 throughout and never fires.
    CHECK(fired.size() == (t == 3 ? 1u : 0u));
    if (t == 3) CHECK(fired[0] == 0);
  }
}

TEST_CASE("KeywordDecider: per-label threshold overrides") {
  const std::vector<std::vector<float>> rows = {{0.6f, 0.6f, 0}, {0.7f, 0.7f, 0}, {0.85f, 0.85f, 0}};
  KeywordDecider plain(kLabels, Opts(0, 0.8), 0.01);
  CHECK(Fire(plain, rows) == std::vector<std::vector<int>>{{2}, {2}, {}});
  KeywordDecider custom(kLabels, Opts(0, 0.8, 800, {{"b", 0.65}}), 0.01);
  CHECK(custom.Threshold(1) == doctest::Approx(0.65));
  CHECK(Fire(custom, rows) == std::vector<std::vector<int>>{{2}, {1}, {}});
  KeywordDecider a_only(kLabels, Opts(0, 0.5, 800, {{"b", 1.0}}), 0.01);
  CHECK(Fire(a_only, rows) == std::vector<std::vector<int>>{{0}, {}, {}});
}

TEST_CASE("KeywordDecider: one event per high stretch, re-armed only below threshold after the refractory period") {
  // refractory 50 ms = 5 frames, no smoothing.
  KeywordDecider d(kLabels, Opts(0, 0.5, 50), 0.01);
  const float hi = 0.9f, lo = 0.1f;
  // a: high 0-2 (fires at 0), dip at 3 (inside the refractory period: stays
  // disarmed), high 4 (no event), low 5 (re-armed: 5 - 0 >= 5), high 6-30
  // (fires at 6 only), low 31, high 32 (refractory over since 6: fires).
  // b: high at 2 while a is in its refractory period: fires (per label).
  std::vector<std::vector<float>> rows;
  for (int t = 0; t <= 32; ++t) {
    const bool a_high = t <= 2 || t == 4 || (t >= 6 && t <= 30) || t == 32;
    rows.push_back({a_high ? hi : lo, t == 2 ? hi : lo, 1.0f});
  }
  CHECK(Fire(d, rows) == std::vector<std::vector<int>>{{0, 6, 32}, {2}, {}});
}

TEST_CASE("KeywordDecider: follows the rising score to its peak, at most peak_wait_ms") {
  KeywordDecider d(kLabels, Opts(0, 0.5, 0, {}, 40), 0.01);  // wait at most 4 frames
  // a peaks at frame 2 (0.9) and is emitted when it falls (frame 3) with
  // score 0.9; b keeps rising and is emitted 4 frames after its crossing
  // (frame 4) with score 0.95; neither fires again while high.
  const std::vector<std::vector<float>> rows = {{0.6f, 0.6f, 0}, {0.7f, 0.7f, 0}, {0.9f, 0.8f, 0},
                                                {0.8f, 0.9f, 0}, {0.8f, 0.95f, 0}, {0.9f, 0.99f, 0},
                                                {0.8f, 0.99f, 0}};
  std::vector<std::vector<int>> fired(3);
  std::vector<float> scores(3, 0.0f);
  for (std::size_t t = 0; t < rows.size(); ++t)
    for (int k : d.Accept(rows[t].data())) {
      fired[static_cast<std::size_t>(k)].push_back(static_cast<int>(t));
      scores[static_cast<std::size_t>(k)] = d.EventScore(k);
    }
  CHECK(fired == std::vector<std::vector<int>>{{3}, {4}, {}});
  CHECK(scores[0] == doctest::Approx(0.9));
  CHECK(scores[1] == doctest::Approx(0.95));
}

TEST_CASE("KeywordDecider: bad options and thresholds for unknown or background labels are errors") {
  CHECK_THROWS_WITH_AS(KeywordDecider(kLabels, Opts(100, 0.8, 800, {{"c", 0.5}}), 0.01),
                       doctest::Contains("no label \"c\""), Error);
  CHECK_THROWS_WITH_AS(KeywordDecider(kLabels, Opts(100, 0.8, 800, {{"_bg", 0.5}}), 0.01),
                       doctest::Contains("never fire"), Error);
  CHECK_THROWS_WITH_AS(KeywordDecider(kLabels, Opts(100, 0), 0.01), doctest::Contains("--threshold"), Error);
  CHECK_THROWS_WITH_AS(KeywordDecider(kLabels, Opts(100, 0.8, 800, {{"a", 1.5}}), 0.01),
                       doctest::Contains("--threshold-for a"), Error);
  CHECK_THROWS_WITH_AS(KeywordDecider(kLabels, Opts(-1, 0.8), 0.01), doctest::Contains("--smooth-ms"), Error);
  CHECK_THROWS_WITH_AS(KeywordDecider(kLabels, Opts(100, 0.8, -1), 0.01), doctest::Contains("--refractory-ms"),
                       Error);
  CHECK_THROWS_WITH_AS(KeywordDecider(kLabels, Opts(100, 0.8, 800, {}, -1), 0.01),
                       doctest::Contains("--peak-wait-ms"), Error);
}
