// CTC prefix beam search against brute-force enumeration of every alignment
// (the exact CTC probability of each labelling) and hand-computed cases.
#include "auris/decode/ctc_prefix_beam.h"

#include <doctest/doctest.h>

#include <cmath>
#include <limits>
#include <map>
#include <string>
#include <vector>

#include "auris/core/error.h"
#include "auris/core/rng.h"
#include "auris/decode/ctc_greedy.h"
#include "tolerances.h"

namespace auris::decode {
namespace {

constexpr float kInf = std::numeric_limits<float>::infinity();

// Exact statistics of one labelling over all its alignments.
struct Exact {
  double prob = 0;  // summed path probabilities
  double best_path_log_prob = -std::numeric_limits<double>::infinity();
  std::vector<int> frames;  // emissions (first frame of each label run) of the best path
  std::vector<float> label_log_probs;
};

// Enumerates all C^T frame-by-frame paths, collapses each (merge runs, drop
// blanks) and accumulates per labelling. Independent of the decoder: no
// prefixes, no blank/non-blank split, no log-add.
std::map<std::vector<int>, Exact> EnumerateAlignments(const Matrix& lp, int blank) {
  const int T = static_cast<int>(lp.rows());
  const int C = static_cast<int>(lp.cols());
  long num_paths = 1;
  for (int t = 0; t < T; ++t) num_paths *= C;
  std::map<std::vector<int>, Exact> out;
  std::vector<int> path(T);
  for (long index = 0; index < num_paths; ++index) {
    long rest = index;
    for (int t = 0; t < T; ++t) {
      path[t] = static_cast<int>(rest % C);
      rest /= C;
    }
    double log_p = 0;
    std::vector<int> labels, frames;
    std::vector<float> lps;
    for (int t = 0; t < T; ++t) {
      const int c = path[t];
      log_p += lp(t, c);
      if (c != blank && (t == 0 || path[t - 1] != c)) {
        labels.push_back(c);
        frames.push_back(t);
        lps.push_back(lp(t, c));
      }
    }
    Exact& e = out[labels];
    e.prob += std::exp(log_p);
    if (log_p > e.best_path_log_prob) {
      e.best_path_log_prob = log_p;
      e.frames = frames;
      e.label_log_probs = lps;
    }
  }
  return out;
}

// T x C log-softmax of Gaussian logits (std 2), computed in double.
Matrix RandomLogPosteriors(int T, int C, std::uint64_t seed) {
  Rng rng(seed);
  Matrix m(T, C);
  for (int t = 0; t < T; ++t) {
    std::vector<double> z(C);
    double max = -1e300;
    for (int c = 0; c < C; ++c) max = std::max(max, z[c] = 2.0 * rng.Gaussian());
    double sum = 0;
    for (int c = 0; c < C; ++c) sum += std::exp(z[c] - max);
    for (int c = 0; c < C; ++c) m(t, c) = static_cast<float>(z[c] - max - std::log(sum));
  }
  return m;
}

// Log of a matrix of probabilities given row by row.
Matrix LogOf(std::initializer_list<std::initializer_list<float>> rows) {
  Matrix m(static_cast<Eigen::Index>(rows.size()), static_cast<Eigen::Index>(rows.begin()->size()));
  Eigen::Index t = 0;
  for (const auto& row : rows) {
    Eigen::Index c = 0;
    for (float p : row) m(t, c++) = std::log(p);
    ++t;
  }
  return m;
}

CtcBeamOptions Unpruned(int beam, int blank = 0) {
  CtcBeamOptions o;
  o.beam = beam;
  o.prune_log_prob = kInf;
  o.blank = blank;
  return o;
}

}  // namespace

TEST_CASE("CtcPrefixBeamDecode with a full beam equals brute-force enumeration of all alignments") {
  struct Case {
    int T, C, blank;
  };
  const Case cases[] = {{1, 2, 0}, {2, 2, 0}, {3, 3, 0}, {4, 3, 2}, {5, 3, 0}, {6, 3, 1}, {4, 4, 0}, {6, 4, 0}, {6, 4, 3}};
  std::uint64_t seed = 100;
  for (const Case& k : cases) {
    for (int rep = 0; rep < 3; ++rep) {
      const Matrix lp = RandomLogPosteriors(k.T, k.C, ++seed);
      const auto exact = EnumerateAlignments(lp, k.blank);
      // beam = number of labellings >= number of prefixes alive at any frame
      // (every prefix of a shorter input is a labelling of the full one).
      const auto hyps = CtcPrefixBeamDecode(lp, Unpruned(static_cast<int>(exact.size()), k.blank));
      CAPTURE(k.T);
      CAPTURE(k.C);
      CAPTURE(seed);
      REQUIRE(hyps.size() == exact.size());
      auto argmax = exact.begin();
      for (auto it = exact.begin(); it != exact.end(); ++it)
        if (it->second.prob > argmax->second.prob) argmax = it;
      CHECK(hyps[0].labels == argmax->first);
      for (std::size_t i = 0; i < hyps.size(); ++i) {
        const auto it = exact.find(hyps[i].labels);
        REQUIRE(it != exact.end());
        const Exact& e = it->second;
        CHECK(std::abs(hyps[i].log_prob - std::log(e.prob)) <= test::tol::kCtcBeamLogProbAbs);
        CHECK(std::abs(hyps[i].best_path_log_prob - e.best_path_log_prob) <= test::tol::kCtcBeamLogProbAbs);
        CHECK(hyps[i].frames == e.frames);
        CHECK(hyps[i].label_log_probs == e.label_log_probs);
        if (i > 0) CHECK(hyps[i - 1].log_prob >= hyps[i].log_prob);
      }
    }
  }
}

TEST_CASE("CtcPrefixBeamDecode with a narrow beam never scores above the exact probability") {
  // A pruned beam sums only the paths through surviving prefixes.
  for (std::uint64_t seed = 1; seed <= 5; ++seed) {
    const Matrix lp = RandomLogPosteriors(6, 4, seed);
    const auto exact = EnumerateAlignments(lp, 0);
    const auto hyps = CtcPrefixBeamDecode(lp, Unpruned(3));
    REQUIRE(hyps.size() == 3);
    for (std::size_t i = 0; i < hyps.size(); ++i) {
      CHECK(hyps[i].log_prob <= std::log(exact.at(hyps[i].labels).prob) + test::tol::kCtcBeamLogProbAbs);
      if (i > 0) CHECK(hyps[i - 1].log_prob >= hyps[i].log_prob);
    }
  }
}

TEST_CASE("CtcPrefixBeamDecode finds the labelling whose mass is spread over many paths - greedy does not") {
  // Classes {blank, a}, two frames, P(blank) = 0.6, P(a) = 0.4 each.
  // Greedy takes blank blank -> "" with P = 0.6 * 0.6 = 0.36.
  // "a" has three paths: a a (0.16), a - (0.24), - a (0.24): P = 0.64.
  const Matrix lp = LogOf({{0.6f, 0.4f}, {0.6f, 0.4f}});
  CHECK(CtcGreedyDecode(lp).labels.empty());
  const auto hyps = CtcPrefixBeamDecode(lp, Unpruned(2));
  REQUIRE(hyps.size() == 2);
  CHECK(hyps[0].labels == std::vector<int>{1});
  CHECK(hyps[0].log_prob == doctest::Approx(std::log(0.64)).epsilon(1e-6));
  CHECK(hyps[1].labels.empty());
  CHECK(hyps[1].log_prob == doctest::Approx(std::log(0.36)).epsilon(1e-6));
  // Best path of "a" (0.24, a tie of a- and -a) enters the label at frame 0
  // (blank-ending path wins the tie).
  CHECK(hyps[0].frames == std::vector<int>{0});
  CHECK(hyps[0].best_path_log_prob == doctest::Approx(std::log(0.24)).epsilon(1e-6));
}

TEST_CASE("CtcPrefixBeamDecode with beam 1 keeps the most probable prefix per frame - neither greedy nor exact") {
  // Classes {blank, a, b}:      blank   a     b
  //   frame 0                    0.40  0.50  0.10
  //   frame 1                    0.30  0.30  0.40
  // Greedy: a b -> "ab".
  // Beam 1, frame 0: "" 0.40, "a" 0.50, "b" 0.10 -> keeps "a".
  //   frame 1: "a" = a- + aa = 0.15 + 0.15 = 0.30, "ab" = 0.5 * 0.4 = 0.20 -> "a", 0.30.
  // Exact (all paths): "a" = 0.30 + (-a) 0.12 = 0.42, "b" = 0.04 + 0.03 + 0.16 = 0.23,
  // "ab" 0.20, "" 0.12, "ba" 0.03 (sum 1). A full beam gives "a" at 0.42.
  const Matrix lp = LogOf({{0.40f, 0.50f, 0.10f}, {0.30f, 0.30f, 0.40f}});
  CHECK(CtcGreedyDecode(lp).labels == std::vector<int>{1, 2});
  const auto one = CtcPrefixBeamDecode(lp, Unpruned(1));
  REQUIRE(one.size() == 1);
  CHECK(one[0].labels == std::vector<int>{1});
  CHECK(one[0].log_prob == doctest::Approx(std::log(0.30)).epsilon(1e-6));
  CHECK(one[0].frames == std::vector<int>{0});
  const auto full = CtcPrefixBeamDecode(lp, Unpruned(5));
  REQUIRE(full.size() == 5);
  const std::vector<std::vector<int>> order = {{1}, {2}, {1, 2}, {}, {2, 1}};
  const double probs[] = {0.42, 0.23, 0.20, 0.12, 0.03};
  for (int i = 0; i < 5; ++i) {
    CHECK(full[i].labels == order[i]);
    CHECK(full[i].log_prob == doctest::Approx(std::log(probs[i])).epsilon(1e-6));
  }
}

TEST_CASE("CtcPrefixBeamDecode: emission frames and log-probabilities on a peaky matrix") {
  // Classes {blank, a, b}. Best path: - a a - b - a - a  -> "a b a a".
  // Frame 1 is a weaker 'a' (0.6): entering 'a' there (0.6 * 0.9) beats a
  // blank there and entering at frame 2 (0.35 * 0.9), so 'a' is emitted at 1.
  const Matrix lp = LogOf({{0.90f, 0.05f, 0.05f},
                           {0.35f, 0.60f, 0.05f},
                           {0.05f, 0.90f, 0.05f},
                           {0.90f, 0.05f, 0.05f},
                           {0.05f, 0.05f, 0.90f},
                           {0.90f, 0.05f, 0.05f},
                           {0.05f, 0.90f, 0.05f},
                           {0.90f, 0.05f, 0.05f},
                           {0.05f, 0.90f, 0.05f}});
  const auto hyps = CtcPrefixBeamDecode(lp, CtcBeamOptions{});
  REQUIRE(!hyps.empty());
  CHECK(hyps[0].labels == std::vector<int>{1, 2, 1, 1});
  CHECK(hyps[0].frames == std::vector<int>{1, 4, 6, 8});
  CHECK(hyps[0].label_log_probs == std::vector<float>{lp(1, 1), lp(4, 2), lp(6, 1), lp(8, 1)});
  // And the same against the enumeration (3^9 paths).
  const auto exact = EnumerateAlignments(lp, 0);
  const Exact& e = exact.at(hyps[0].labels);
  CHECK(hyps[0].frames == e.frames);
  CHECK(std::abs(hyps[0].best_path_log_prob - e.best_path_log_prob) <= test::tol::kCtcBeamLogProbAbs);
}

TEST_CASE("CtcPrefixBeamDecode: a best-path tie keeps the earlier emission") {
  // Classes {blank, a}: frame 0 (0.5, 0.5), frame 1 (0.2, 0.8). Paths of "a":
  // a a = 0.4 (enters at 0), - a = 0.4 (enters at 1), a - = 0.1.
  const Matrix lp = LogOf({{0.5f, 0.5f}, {0.2f, 0.8f}});
  const auto hyps = CtcPrefixBeamDecode(lp, Unpruned(2));
  REQUIRE(hyps[0].labels == std::vector<int>{1});
  CHECK(hyps[0].log_prob == doctest::Approx(std::log(0.9)).epsilon(1e-6));
  CHECK(hyps[0].best_path_log_prob == doctest::Approx(std::log(0.4)).epsilon(1e-6));
  CHECK(hyps[0].frames == std::vector<int>{0});
}

TEST_CASE("CtcPrefixBeamDecode: exact score ties are ordered by label sequence") {
  // Classes {blank, a, b}, blank impossible, a and b 0.5 on both frames:
  // "a" (aa), "b" (bb), "ab", "ba" each have exactly one path of 0.25. The
  // decoder generates them as a, b (continued), ab, ba (extended); the order
  // must be lexicographic: a, ab, b, ba. A beam of 2 keeps a and ab.
  const float z = -kInf;
  const float half = std::log(0.5f);
  Matrix lp(2, 3);
  lp << z, half, half, z, half, half;
  const auto hyps = CtcPrefixBeamDecode(lp, Unpruned(4));
  REQUIRE(hyps.size() == 4);
  const std::vector<std::vector<int>> order = {{1}, {1, 2}, {2}, {2, 1}};
  for (int i = 0; i < 4; ++i) {
    CHECK(hyps[i].labels == order[i]);
    CHECK(hyps[i].log_prob == doctest::Approx(std::log(0.25)).epsilon(1e-6));
  }
  const auto two = CtcPrefixBeamDecode(lp, Unpruned(2));
  REQUIRE(two.size() == 2);
  CHECK(two[0].labels == order[0]);
  CHECK(two[1].labels == order[1]);
}

TEST_CASE("CtcPrefixBeamDecoder: streaming frame by frame equals the batch function") {
  const Matrix lp = RandomLogPosteriors(40, 6, 7);
  CtcBeamOptions options;
  options.beam = 4;
  CtcPrefixBeamDecoder decoder(6, options);
  auto same = [](const std::vector<CtcBeamHypothesis>& a, const std::vector<CtcBeamHypothesis>& b) {
    REQUIRE(a.size() == b.size());
    for (std::size_t i = 0; i < a.size(); ++i) {
      CHECK(a[i].labels == b[i].labels);
      CHECK(a[i].log_prob == b[i].log_prob);
      CHECK(a[i].best_path_log_prob == b[i].best_path_log_prob);
      CHECK(a[i].frames == b[i].frames);
      CHECK(a[i].label_log_probs == b[i].label_log_probs);
    }
  };
  CHECK(decoder.BestLabels().empty());
  for (int t = 0; t < 40; ++t) {
    decoder.AcceptFrame(std::span<const float>(lp.row(t).data(), 6));
    CHECK(decoder.BestLabels() == decoder.Hypotheses().front().labels);
    if (t == 17) same(decoder.Hypotheses(), CtcPrefixBeamDecode(lp.topRows(18), options));
  }
  CHECK(decoder.FramesSeen() == 40);
  const auto batch = CtcPrefixBeamDecode(lp, options);
  CHECK(batch[0].labels.size() >= 3);  // a non-trivial result
  same(decoder.Hypotheses(), batch);
  decoder.Reset();
  CHECK(decoder.FramesSeen() == 0);
  for (int t = 0; t < 40; ++t) decoder.AcceptFrame(lp.row(t).data());
  same(decoder.Hypotheses(), batch);
}

TEST_CASE("CtcPrefixBeamDecode: pruning drops extensions by classes far below the frame's best") {
  // log 0.6 = -0.51, log 0.35 = -1.05, log 0.05 = -3.00: with a 1-nat
  // threshold only blank and 'a' may start a label.
  const Matrix lp = LogOf({{0.60f, 0.35f, 0.05f}});
  CtcBeamOptions o = Unpruned(8);
  o.prune_log_prob = 1.0f;
  const auto pruned = CtcPrefixBeamDecode(lp, o);
  REQUIRE(pruned.size() == 2);
  CHECK(pruned[0].labels.empty());
  CHECK(pruned[1].labels == std::vector<int>{1});
  CHECK(CtcPrefixBeamDecode(lp, Unpruned(8)).size() == 3);
}

TEST_CASE("CtcPrefixBeamDecoder: empty input, errors and options") {
  const auto none = CtcPrefixBeamDecode(Matrix(0, 3));
  REQUIRE(none.size() == 1);
  CHECK(none[0].labels.empty());
  CHECK(none[0].log_prob == 0.0);

  Matrix lp = RandomLogPosteriors(4, 3, 3);
  lp(2, 1) = std::numeric_limits<float>::quiet_NaN();
  try {
    CtcPrefixBeamDecode(lp);
    FAIL("NaN accepted");
  } catch (const Error& e) {
    CHECK(std::string(e.what()).find("frame 2") != std::string::npos);
  }
  lp(2, 1) = kInf;
  CHECK_THROWS_AS(CtcPrefixBeamDecode(lp), Error);
  lp.row(2).setConstant(-kInf);
  CHECK_THROWS_AS(CtcPrefixBeamDecode(lp), Error);

  CtcPrefixBeamDecoder decoder(3);
  const float frame[4] = {-1.0f, -1.0f, -1.5f, -2.0f};
  CHECK_THROWS_AS(decoder.AcceptFrame(std::span<const float>(frame, 4)), Error);
  CHECK_THROWS_AS(CtcPrefixBeamDecoder(0), Error);
  CHECK_THROWS_AS(CtcPrefixBeamDecoder(3, CtcBeamOptions{.beam = 0}), Error);
  CHECK_THROWS_AS(CtcPrefixBeamDecoder(3, CtcBeamOptions{.prune_log_prob = 0.0f}), Error);
  CHECK_THROWS_AS(CtcPrefixBeamDecoder(3, CtcBeamOptions{.prune_log_prob = std::nanf("")}), Error);
  CHECK_THROWS_AS(CtcPrefixBeamDecoder(3, CtcBeamOptions{.blank = -1}), Error);
  CHECK_THROWS_AS(CtcPrefixBeamDecoder(3, CtcBeamOptions{.blank = 3}), Error);
  CHECK(CtcBeamOptions{}.ToString() == "beam=8 prune_log_prob=20 blank=0");
}

}  // namespace auris::decode
