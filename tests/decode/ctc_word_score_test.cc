// CTC single-label scores against a brute-force sum over every path and a
// hand-worked two-frame case.
#include "auris/decode/ctc_word_score.h"

#include <doctest/doctest.h>

#include <cmath>
#include <limits>
#include <vector>

#include "auris/core/error.h"
#include "random_log_probs.h"

namespace auris::decode {
namespace {

using test::RandomLogProbs;

// P(collapse(path) == [k]) by enumerating all C^T paths.
std::vector<double> BruteForce(const Matrix& lp, int blank) {
  const int T = static_cast<int>(lp.rows()), C = static_cast<int>(lp.cols());
  std::vector<double> p(C, 0.0);
  std::vector<int> path(T, 0);
  for (;;) {
    std::vector<int> out;
    for (int t = 0; t < T; ++t)
      if (path[t] != blank && (t == 0 || path[t] != path[t - 1])) out.push_back(path[t]);
    if (out.size() == 1) {
      double logp = 0;
      for (int t = 0; t < T; ++t) logp += lp(t, path[t]);
      p[out[0]] += std::exp(logp);
    }
    int t = 0;
    while (t < T && ++path[t] == C) path[t++] = 0;
    if (t == T) break;
  }
  return p;
}

}  // namespace

TEST_CASE("CtcSingleLabelLogProbs equals the sum over all alignments, any blank index") {
  for (int blank : {0, 2}) {
    for (int T : {1, 2, 5, 7}) {
      const Matrix lp = RandomLogProbs(T, 4, 10 + T);
      const std::vector<double> got = CtcSingleLabelLogProbs(lp, blank);
      const std::vector<double> want = BruteForce(lp, blank);
      REQUIRE(got.size() == 4);
      for (int k = 0; k < 4; ++k) {
        CAPTURE(blank);
        CAPTURE(T);
        CAPTURE(k);
        if (k == blank) CHECK(got[k] == -std::numeric_limits<double>::infinity());
        else CHECK(got[k] == doctest::Approx(std::log(want[k])).epsilon(1e-5));
      }
    }
  }
}

// Uniform frames over C classes: every path has probability C^-T, and the
// paths of [k] are those with one run of k, T (T + 1) / 2 of them. At
// T = 2000 the probabilities themselves underflow any float type.
TEST_CASE("CtcSingleLabelLogProbs: a long uniform input, in closed form") {
  const int T = 2000, C = 5;
  const Matrix lp = Matrix::Constant(T, C, -std::log(static_cast<float>(C)));
  const std::vector<double> s = CtcSingleLabelLogProbs(lp);
  const double want = std::log(T * (T + 1.0) / 2) - T * std::log(static_cast<double>(C));
  for (int k = 1; k < C; ++k) CHECK(s[k] == doctest::Approx(want).epsilon(1e-6));
}

TEST_CASE("CtcSingleLabelLogProbs: two frames by hand") {
  // p(frame, class): frame 0 = (0.5, 0.3, 0.2), frame 1 = (0.6, 0.1, 0.3).
  Matrix lp(2, 3);
  lp << std::log(0.5f), std::log(0.3f), std::log(0.2f), std::log(0.6f), std::log(0.1f), std::log(0.3f);
  const std::vector<double> s = CtcSingleLabelLogProbs(lp);
  // [1]: 1 1, 1 -, - 1 = 0.3*0.1 + 0.3*0.6 + 0.5*0.1 = 0.26; [2]: 0.2*0.3 + 0.2*0.6 + 0.5*0.3 = 0.33.
  CHECK(std::exp(s[1]) == doctest::Approx(0.26).epsilon(1e-6));
  CHECK(std::exp(s[2]) == doctest::Approx(0.33).epsilon(1e-6));
}

TEST_CASE("CtcSingleLabelLogProbs: no frames, bad blank, NaN") {
  const std::vector<double> none = CtcSingleLabelLogProbs(Matrix(0, 3));
  for (double v : none) CHECK(v == -std::numeric_limits<double>::infinity());
  CHECK_THROWS_AS(CtcSingleLabelLogProbs(Matrix::Zero(2, 3), 3), Error);
  Matrix nan = Matrix::Zero(2, 3);
  nan(1, 2) = std::numeric_limits<float>::quiet_NaN();
  CHECK_THROWS_WITH_AS(CtcSingleLabelLogProbs(nan), doctest::Contains("NaN"), Error);
}

TEST_CASE("CtcWordPosteriors: the two-frame case normalised over the words, the blank left out") {
  // Same frames as above. Blank 0: [1] = 0.26, [2] = 0.33. Blank 1 (p = 0.3,
  // then 0.1): [0] = 0.5*0.6 + 0.5*0.1 + 0.3*0.6 = 0.53, [2] = 0.2*0.3 + 0.2*0.1 + 0.3*0.3 = 0.17.
  Matrix lp(2, 3);
  lp << std::log(0.5f), std::log(0.3f), std::log(0.2f), std::log(0.6f), std::log(0.1f), std::log(0.3f);
  const std::vector<float> p0 = CtcWordPosteriors(lp, 0);
  REQUIRE(p0.size() == 2);
  CHECK(p0[0] == doctest::Approx(0.26 / 0.59).epsilon(1e-5));
  CHECK(p0[1] == doctest::Approx(0.33 / 0.59).epsilon(1e-5));
  const std::vector<float> p1 = CtcWordPosteriors(lp, 1);
  REQUIRE(p1.size() == 2);
  CHECK(p1[0] == doctest::Approx(0.53 / 0.70).epsilon(1e-5));
  CHECK(p1[1] == doctest::Approx(0.17 / 0.70).epsilon(1e-5));
  CHECK_THROWS_WITH_AS(CtcWordPosteriors(Matrix(0, 3)), doctest::Contains("no frames"), Error);
  CHECK_THROWS_WITH_AS(CtcWordPosteriors(Matrix::Zero(2, 1)), doctest::Contains("no class"), Error);
}

}  // namespace auris::decode
