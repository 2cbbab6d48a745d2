// Interpolated modified Kneser-Ney against probabilities worked out by hand
// from Chen & Goodman's formulas (kneser_ney.h), and normalisation: every
// history's probabilities sum to 1 over the vocabulary and </s>.
#include "auris/decode/kneser_ney.h"

#include <doctest/doctest.h>

#include <cmath>
#include <set>
#include <string>
#include <vector>

#include "auris/core/error.h"
#include "auris/core/rng.h"

namespace auris::decode {
namespace {

using Sentences = std::vector<std::vector<std::string>>;

double P(const NgramLm& lm, NgramLm::State s, const std::string& w) {
  NgramLm::State next = 0;
  return std::exp(lm.Score(s, lm.Id(w), &next));
}

NgramLm::State After(const NgramLm& lm, NgramLm::State s, const std::vector<std::string>& words) {
  for (const std::string& w : words) lm.Score(s, lm.Id(w), &s);
  return s;
}

}  // namespace

TEST_CASE("KneserNeyDiscounts: Chen & Goodman's D1, D2, D3+ and the fallback") {
  // n = 10, 5, 3, 2: Y = 10 / (10 + 2*5) = 0.5; D1 = 1 - 2*0.5*5/10 = 0.5;
  // D2 = 2 - 3*0.5*3/5 = 1.1; D3+ = 3 - 4*0.5*2/3 = 5/3.
  const auto d = KneserNeyDiscounts({10, 5, 3, 2});
  CHECK(d[0] == doctest::Approx(0.5));
  CHECK(d[1] == doctest::Approx(1.1));
  CHECK(d[2] == doctest::Approx(5.0 / 3));
  CHECK(KneserNeyDiscounts({1, 2, 0, 0}) == std::array<double, 3>{0.5, 1.0, 1.5});
}

TEST_CASE("EstimateKneserNey bigram of a tiny corpus equals the hand-computed probabilities") {
  // <s> a b </s>, <s> b </s>, <s> a </s>. Vocabulary without <s>: </s> <unk> a b (|V| = 4).
  // Unigram continuation counts: a 1 (<s>), b 2 (a, <s>), </s> 2 (b, a), <unk> 0;
  // counts-of-counts 1, 2, 0 -> fallback D = 0.5, 1, 1.5; total 5;
  // gamma = (0.5*1 + 1*2) / 5 = 0.5, so p(w) = (a - D) / 5 + 0.5 / 4:
  //   p(a) = 0.1 + 0.125 = 0.225, p(b) = p(</s>) = 0.2 + 0.125 = 0.325, p(<unk>) = 0.125.
  // Bigram raw counts: <s> a 2, <s> b 1, a b 1, a </s> 1, b </s> 2; counts-of-counts 3, 2, 0 -> fallback.
  //   <s>: total 3, gamma = (0.5*1 + 1*1) / 3 = 0.5;
  //        p(a|<s>) = 1/3 + 0.5*0.225, p(b|<s>) = 0.5/3 + 0.5*0.325, p(</s>|<s>) = 0.5*0.325.
  //   a:   total 2, gamma = 0.5*2 / 2 = 0.5; p(b|a) = p(</s>|a) = 0.25 + 0.5*0.325, p(a|a) = 0.5*0.225.
  //   b:   total 2, gamma = 1*1 / 2 = 0.5; p(</s>|b) = 0.5 + 0.5*0.325, p(b|b) = 0.5*0.325.
  const NgramLm lm = EstimateKneserNey({{"a", "b"}, {"b"}, {"a"}}, {2});
  const NgramLm::State e = NgramLm::kEmptyHistory, s = lm.Start();
  CHECK(P(lm, e, "a") == doctest::Approx(0.225));
  CHECK(P(lm, e, "b") == doctest::Approx(0.325));
  CHECK(P(lm, e, "</s>") == doctest::Approx(0.325));
  CHECK(P(lm, e, "<unk>") == doctest::Approx(0.125));
  CHECK(P(lm, e, "never-seen") == doctest::Approx(0.125));
  CHECK(P(lm, s, "a") == doctest::Approx(1.0 / 3 + 0.5 * 0.225));
  CHECK(P(lm, s, "b") == doctest::Approx(0.5 / 3 + 0.5 * 0.325));
  CHECK(P(lm, s, "</s>") == doctest::Approx(0.5 * 0.325));
  const NgramLm::State a = After(lm, e, {"a"}), b = After(lm, e, {"b"});
  CHECK(P(lm, a, "b") == doctest::Approx(0.25 + 0.5 * 0.325));
  CHECK(P(lm, a, "</s>") == doctest::Approx(0.25 + 0.5 * 0.325));
  CHECK(P(lm, a, "a") == doctest::Approx(0.5 * 0.225));
  CHECK(P(lm, b, "</s>") == doctest::Approx(0.5 + 0.5 * 0.325));
  CHECK(P(lm, b, "b") == doctest::Approx(0.5 * 0.325));
  // Listed: the 5 unigrams (<unk> and <s> too) and the 5 bigrams seen.
  CHECK(lm.NumNgrams(1) == 5);
  CHECK(lm.NumNgrams(2) == 5);
}

TEST_CASE("EstimateKneserNey: each history's probabilities sum to 1, output is deterministic") {
  Rng rng(7);
  const std::vector<std::string> words = {"one", "two", "three", "four", "five", "six", "seven"};
  Sentences text;
  for (int i = 0; i < 200; ++i) {
    auto& s = text.emplace_back();
    const int n = static_cast<int>(rng.Uniform() * 6);
    // Skewed towards the first words, so counts-of-counts fill up.
    for (int k = 0; k < n; ++k) s.push_back(words[static_cast<std::size_t>(rng.Uniform() * rng.Uniform() * 7)]);
  }
  for (int order = 1; order <= 4; ++order) {
    CAPTURE(order);
    const NgramLm lm = EstimateKneserNey(text, {order});
    CHECK(EstimateKneserNey(text, {order}).ToArpa() == lm.ToArpa());
    CHECK(lm.Order() == order);
    // Histories: every word sequence of the text (with <s>) shorter than the order.
    std::set<std::vector<std::string>> histories = {{}};
    for (const auto& s : text) {
      std::vector<std::string> padded = {"<s>"};
      padded.insert(padded.end(), s.begin(), s.end());
      for (std::size_t i = 0; i < padded.size(); ++i)
        for (std::size_t n = 1; n < static_cast<std::size_t>(order) && i + n <= padded.size(); ++n)
          histories.insert(std::vector<std::string>(padded.begin() + i, padded.begin() + i + n));
    }
    for (const auto& h : histories) {
      CAPTURE(h.size());
      NgramLm::State state = NgramLm::kEmptyHistory;
      if (!h.empty() && h[0] == "<s>") {
        state = After(lm, lm.Start(), std::vector<std::string>(h.begin() + 1, h.end()));
      } else {
        state = After(lm, state, h);
      }
      double sum = 0;
      NgramLm::State next = 0;
      for (NgramLm::WordId w = 0; w < lm.NumWords(); ++w)
        if (lm.Word(w) != "<s>") sum += std::exp(lm.Score(state, w, &next));
      CHECK(sum == doctest::Approx(1.0).epsilon(1e-5));
    }
  }
}

TEST_CASE("EstimateKneserNey rejects sentence markers in the text and no text") {
  CHECK_THROWS_AS(EstimateKneserNey({}, {3}), Error);
  CHECK_THROWS_WITH_AS(EstimateKneserNey({{"a"}, {"b", "</s>"}}, {3}),
                       "language model estimation: sentence 2 contains </s>", Error);
  CHECK_THROWS_WITH_AS(EstimateKneserNey({{"a"}}, {0}), "--order must be >= 1, got 0", Error);
}

}  // namespace auris::decode
