// Shallow fusion of a word LM in the CTC prefix beam search: the LM flips a
// decision between acoustically close hypotheses (word and char units), a
// zero weight changes nothing, and the LM scores carried frame by frame equal
// the words' LM probability computed from scratch, plus the unfinished word's
// lookahead (the best unigram among the words it can become).
#include <doctest/doctest.h>

#include <cmath>
#include <limits>
#include <memory>
#include <numbers>
#include <string>
#include <vector>

#include "auris/core/rng.h"
#include "auris/decode/ctc_prefix_beam.h"
#include "auris/decode/label_lm.h"
#include "auris/decode/ngram_lm.h"

namespace auris::decode {
namespace {

constexpr double kLn10 = std::numbers::ln10;

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

Matrix RandomLogPosteriors(int T, int C, std::uint64_t seed) {
  Rng rng(seed);
  Matrix m(T, C);
  for (int t = 0; t < T; ++t) {
    std::vector<double> z(C);
    double sum = 0;
    for (int c = 0; c < C; ++c) sum += std::exp(z[c] = 1.5 * rng.Gaussian());
    for (int c = 0; c < C; ++c) m(t, c) = static_cast<float>(z[c] - std::log(sum));
  }
  return m;
}

std::shared_ptr<const NgramLm> Lm(const std::string& arpa) {
  return std::make_shared<const NgramLm>(NgramLm::ParseArpa(arpa, "test.arpa"));
}

CtcBeamOptions Fusion(float lm_weight, float word_bonus, int beam = 8) {
  CtcBeamOptions o;
  o.beam = beam;
  o.lm_weight = lm_weight;
  o.word_bonus = word_bonus;
  return o;
}

// The completed words of char labels ("|" ends a word), as strings.
std::vector<std::string> CompletedWords(const std::vector<int>& labels, const std::vector<std::string>& names,
                                        bool final) {
  std::vector<std::string> words;
  std::string word;
  for (int l : labels) {
    if (names[l] != "|") {
      word += names[l];
    } else if (!word.empty()) {
      words.push_back(word);
      word.clear();
    }
  }
  if (final && !word.empty()) words.push_back(word);
  return words;
}

// The unfinished last word of char labels ("" if none).
std::string PartialWord(const std::vector<int>& labels, const std::vector<std::string>& names) {
  std::string word;
  for (int l : labels) word = names[l] == "|" ? "" : word + names[l];
  return word;
}

// The lookahead of a half-spelled word, by string comparison: the best
// unigram ln P of the LM words beginning with it, else <unk>'s.
double ScratchLookahead(const NgramLm& lm, const std::string& partial) {
  if (partial.empty()) return 0;
  NgramLm::State unused = 0;
  double best = -std::numeric_limits<double>::infinity();
  for (NgramLm::WordId w = 0; w < lm.NumWords(); ++w) {
    const std::string& word = lm.Word(w);
    if (word[0] != '<' && word.starts_with(partial))
      best = std::max(best, static_cast<double>(lm.Score(NgramLm::kEmptyHistory, w, &unused)));
  }
  return std::isfinite(best) ? best : lm.Score(NgramLm::kEmptyHistory, lm.UnkId(), &unused);
}

// ln P_lm of `words` (and </s> if final), word by word from <s>.
double ScratchLmLogProb(const NgramLm& lm, const std::vector<std::string>& words, bool final) {
  double sum = 0;
  NgramLm::State s = lm.Start();
  for (const std::string& w : words) sum += lm.Score(s, lm.Id(w), &s);
  if (final) sum += lm.EndScore(s);
  return sum;
}

const char* const kCharLm =
    "\\data\\\nngram 1=6\nngram 2=3\n\n\\1-grams:\n"
    "-99 <s> -0.4\n-0.9 </s> -0.1\n-0.6 a -0.3\n-0.8 ab -0.2\n-1.2 ba -0.1\n-2.5 <unk> -0.05\n"
    "\n\\2-grams:\n-0.1 <s> ab\n-0.2 ab ba\n-0.3 ba </s>\n\\end\\\n";

const char* const kAtEtLm = "\\data\\\nngram 1=4\n\\1-grams:\n-2.0 at\n-0.3 et\n-0.1 </s>\n-3 <unk>\n\\end\\\n";

}  // namespace

TEST_CASE("LM fusion flips a word-unit decision between two acoustically close words") {
  const std::vector<std::string> labels = {"<blk>", "one", "won"};
  auto lm = std::make_shared<const LabelLm>(
      Lm("\\data\\\nngram 1=3\n\\1-grams:\n-2.0 one\n-0.3 won\n-0.1 </s>\n\\end\\\n"), labels, false);
  const Matrix lp = LogOf({{0.1f, 0.48f, 0.42f}, {0.9f, 0.05f, 0.05f}});
  CHECK(CtcPrefixBeamDecode(lp, Fusion(0, 0))[0].labels == std::vector<int>{1});
  const auto fused = CtcPrefixBeamDecode(lp, Fusion(1.0f, 0.5f), lm);
  REQUIRE(fused[0].labels == std::vector<int>{2});
  const CtcBeamHypothesis& h = fused[0];
  // ln P(won) + ln P(</s>) of the unigram LM, one word; the score adds them.
  CHECK(h.lm_log_prob == doctest::Approx((-0.3 - 0.1) * kLn10));
  CHECK(h.num_words == 1);
  CHECK(h.score == doctest::Approx(h.log_prob + 1.0 * h.lm_log_prob + 0.5));
  // The acoustic part is untouched by fusion.
  const auto plain = CtcPrefixBeamDecode(lp, Fusion(0, 0));
  for (const auto& p : plain)
    if (p.labels == h.labels) CHECK(p.log_prob == h.log_prob);
}

TEST_CASE("LM fusion flips char-unit words: at a '|' while streaming and at the end") {
  const std::vector<std::string> labels = {"<blk>", "|", "a", "e", "t"};
  const auto ngram = Lm(kAtEtLm);
  auto lm = std::make_shared<const LabelLm>(ngram, labels, true, 0, /*lookahead=*/false);
  const Matrix lp = LogOf({{0.03f, 0.01f, 0.50f, 0.45f, 0.01f},
                           {0.05f, 0.01f, 0.01f, 0.01f, 0.92f},
                           {0.05f, 0.92f, 0.01f, 0.01f, 0.01f},
                           {0.05f, 0.01f, 0.50f, 0.43f, 0.01f},
                           {0.05f, 0.01f, 0.01f, 0.01f, 0.92f},
                           {0.96f, 0.01f, 0.01f, 0.01f, 0.01f}});
  const std::vector<int> at_at = {2, 4, 1, 2, 4}, et_et = {3, 4, 1, 3, 4};
  CHECK(CtcPrefixBeamDecode(lp, Fusion(0, 0))[0].labels == at_at);
  CtcPrefixBeamDecoder decoder(5, Fusion(1.0f, 0), lm);
  for (int t = 0; t < 3; ++t) decoder.AcceptFrame(lp.row(t).data());
  // "et|" leads as soon as the space completes the word.
  CHECK(decoder.Hypotheses()[0].labels == std::vector<int>{3, 4, 1});
  for (int t = 3; t < 6; ++t) decoder.AcceptFrame(lp.row(t).data());
  // The second word is scored only at the end: "et|at" still leads...
  CHECK(decoder.Hypotheses()[0].labels == std::vector<int>{3, 4, 1, 2, 4});
  // ...until the last word and </s> are scored.
  const auto final = decoder.FinalHypotheses();
  CHECK(final[0].labels == et_et);
  CHECK(final[0].num_words == 2);
  CHECK(final[0].lm_log_prob == doctest::Approx((-0.3 - 0.3 - 0.1) * kLn10));
  CHECK(CtcPrefixBeamDecode(lp, Fusion(1.0f, 0), lm)[0].labels == et_et);

  // With lookahead the half-spelled "et" already carries its unigram, so
  // "et|et" leads before the end; the final scores are the same.
  auto ahead = std::make_shared<const LabelLm>(ngram, labels, true);
  CtcPrefixBeamDecoder looking(5, Fusion(1.0f, 0), ahead);
  for (int t = 0; t < 6; ++t) looking.AcceptFrame(lp.row(t).data());
  const auto now = looking.Hypotheses();
  CHECK(now[0].labels == et_et);
  CHECK(now[0].lm_log_prob == doctest::Approx((-0.3 - 0.3) * kLn10));
  CHECK(looking.FinalHypotheses()[0].lm_log_prob == doctest::Approx(final[0].lm_log_prob));
}

TEST_CASE("LM lookahead: a spelling no LM word begins with is charged <unk> at once, taken back at its end") {
  const std::vector<std::string> labels = {"<blk>", "|", "a", "e", "t"};
  const LabelLm lm(Lm(kAtEtLm), labels, true);
  const LabelLm::State start = lm.Start();
  LabelLm::State e{}, ee{}, done{};
  int words = 0;
  CHECK(lm.Extend(start, 3, &e, &words) == doctest::Approx(-0.3 * kLn10));
  CHECK(lm.Lookahead(e) == doctest::Approx(-0.3 * kLn10));
  CHECK(lm.Extend(e, 3, &ee, &words) == doctest::Approx((-3 + 0.3) * kLn10));  // "ee" is no word's start
  CHECK(lm.Lookahead(ee) == doctest::Approx(-3 * kLn10));
  // Completing "ee" scores <unk> (-3) and takes the lookahead (-3) back.
  CHECK(lm.Extend(ee, 1, &done, &words) == doctest::Approx(0.0));
  CHECK(words == 1);
  CHECK(lm.Lookahead(done) == 0);
  const LabelLm plain(Lm(kAtEtLm), labels, true, 0, /*lookahead=*/false);
  CHECK(plain.Extend(start, 3, &e, &words) == 0);
  CHECK(plain.Extend(e, 4, &ee, &words) == 0);
  CHECK(plain.Extend(ee, 1, &done, &words) == doctest::Approx(-0.3 * kLn10));
}

TEST_CASE("LM lookahead with words of probability 0 (log10 -inf, as SRILM writes it): no NaN") {
  const std::vector<std::string> labels = {"<blk>", "|", "a", "b"};
  const auto ngram = Lm("\\data\\\nngram 1=4\n\\1-grams:\n-inf ab\n-0.5 ba\n-0.1 </s>\n-inf <unk>\n\\end\\\n");
  auto lm = std::make_shared<const LabelLm>(ngram, labels, true);
  LabelLm::State a{}, ab{}, abb{}, done{};
  int words = 0;
  const float into_ab = lm->Extend(lm->Start(), 2, &a, &words);
  CHECK(std::isfinite(into_ab));  // only "ab" begins with "a": floored, not -inf
  CHECK(std::isfinite(lm->Extend(a, 3, &ab, &words)));
  CHECK(std::isfinite(lm->Extend(ab, 3, &abb, &words)));  // off the trie: <unk>, floored too
  CHECK(lm->Extend(abb, 1, &done, &words) == -std::numeric_limits<float>::infinity());  // the word itself is impossible
  for (std::uint64_t seed = 1; seed <= 10; ++seed) {
    const auto hyps = CtcPrefixBeamDecode(RandomLogPosteriors(10, 4, 300 + seed), Fusion(1.0f, 0.5f, 6), lm);
    REQUIRE(!hyps.empty());
    for (const auto& h : hyps) CHECK(!std::isnan(h.score));
    CHECK(std::isfinite(hyps[0].score));  // "ba" and the empty transcript remain possible
  }
}

TEST_CASE("LM fusion with weight 0 and no bonus equals decoding without an LM") {
  const std::vector<std::string> labels = {"<blk>", "|", "a", "b"};
  auto lm = std::make_shared<const LabelLm>(Lm(kCharLm), labels, true);
  for (std::uint64_t seed = 1; seed <= 20; ++seed) {
    const Matrix lp = RandomLogPosteriors(9, 4, seed);
    const auto plain = CtcPrefixBeamDecode(lp, Fusion(0, 0, 5));
    const auto fused = CtcPrefixBeamDecode(lp, Fusion(0, 0, 5), lm);
    REQUIRE(plain.size() == fused.size());
    for (std::size_t k = 0; k < plain.size(); ++k) {
      CHECK(plain[k].labels == fused[k].labels);
      CHECK(plain[k].log_prob == fused[k].log_prob);
      CHECK(plain[k].frames == fused[k].frames);
      CHECK(fused[k].score == fused[k].log_prob);
    }
  }
}

TEST_CASE("LM fusion frame by frame: carried LM scores equal scoring the words from scratch") {
  const std::vector<std::string> labels = {"<blk>", "|", "a", "b"};
  const auto ngram = Lm(kCharLm);
  for (std::uint64_t seed = 1; seed <= 20; ++seed) {
    const bool lookahead = seed % 2 == 0;
    CAPTURE(lookahead);
    auto lm = std::make_shared<const LabelLm>(ngram, labels, true, 0, lookahead);
    const Matrix lp = RandomLogPosteriors(12, 4, 100 + (seed + 1) / 2);
    const CtcBeamOptions o = Fusion(0.8f, 0.3f, 6);
    CtcPrefixBeamDecoder decoder(4, o, lm);
    for (int t = 0; t < lp.rows(); ++t) {
      decoder.AcceptFrame(lp.row(t).data());
      const auto hyps = decoder.Hypotheses();
      for (std::size_t k = 0; k < hyps.size(); ++k) {
        const auto words = CompletedWords(hyps[k].labels, labels, false);
        CHECK(hyps[k].num_words == static_cast<int>(words.size()));
        const double ahead = lookahead ? ScratchLookahead(*ngram, PartialWord(hyps[k].labels, labels)) : 0;
        CHECK(hyps[k].lm_log_prob == doctest::Approx(ScratchLmLogProb(*ngram, words, false) + ahead).epsilon(1e-6));
        if (k > 0) CHECK(hyps[k - 1].score >= hyps[k].score);
      }
    }
    const auto final = decoder.FinalHypotheses();
    const auto whole = CtcPrefixBeamDecode(lp, o, lm);
    REQUIRE(final.size() == whole.size());
    for (std::size_t k = 0; k < final.size(); ++k) {
      CHECK(final[k].labels == whole[k].labels);
      CHECK(final[k].score == whole[k].score);
      const auto words = CompletedWords(final[k].labels, labels, true);
      CHECK(final[k].lm_log_prob == doctest::Approx(ScratchLmLogProb(*ngram, words, true)).epsilon(1e-6));
      CHECK(final[k].score == doctest::Approx(final[k].log_prob + 0.8 * final[k].lm_log_prob + 0.3 * words.size()));
    }
  }
}

}  // namespace auris::decode
