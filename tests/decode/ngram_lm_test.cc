// ARPA reading/writing and back-off scoring of NgramLm, against values worked
// out by hand from the ARPA definition.
#include "auris/decode/ngram_lm.h"

#include <doctest/doctest.h>

#include <cmath>
#include <numbers>
#include <string>

#include "auris/core/error.h"

namespace auris::decode {
namespace {

constexpr double kLn10 = std::numbers::ln10;

// A trigram LM in SRILM's layout (tabs, header text before \data\).
const char* const kTrigram =
    "SRILM-style header line\n"
    "\n"
    "\\data\\\n"
    "ngram 1=5\n"
    "ngram 2=4\n"
    "ngram 3=1\n"
    "\n"
    "\\1-grams:\n"
    "-99\t<s>\t-0.3\n"
    "-1.0\t</s>\n"
    "-0.5\ta\t-0.2\n"
    "-0.7\tb\t-0.1\n"
    "-2.0\t<unk>\n"
    "\n"
    "\\2-grams:\n"
    "-0.2\t<s> a\t-0.25\n"
    "-0.3\ta b\t-0.15\n"
    "-0.1\tb </s>\n"
    "-0.4\tb b\n"
    "\n"
    "\\3-grams:\n"
    "-0.05\t<s> a b\n"
    "\n"
    "\\end\\\n";

void CheckLog10(float natural, double log10) { CHECK(natural == doctest::Approx(log10 * kLn10).epsilon(1e-6)); }

std::string ErrorOf(const std::string& text) {
  try {
    NgramLm::ParseArpa(text, "x.arpa");
  } catch (const Error& e) {
    return e.what();
  }
  return "";
}

}  // namespace

TEST_CASE("NgramLm reads an ARPA trigram and scores with back-off") {
  const NgramLm lm = NgramLm::ParseArpa(kTrigram, "t.arpa");
  CHECK(lm.Order() == 3);
  CHECK(lm.NumNgrams(1) == 5);
  CHECK(lm.NumNgrams(2) == 4);
  CHECK(lm.NumNgrams(3) == 1);
  const NgramLm::WordId a = lm.Id("a"), b = lm.Id("b");
  CHECK(lm.Word(a) == "a");
  CHECK(lm.Id("zzz") == lm.UnkId());
  CHECK(lm.Word(lm.UnkId()) == "<unk>");

  // <s> a b </s>: listed bigram, listed trigram, then back-off from "a b".
  NgramLm::State s = lm.Start(), t = 0;
  CheckLog10(lm.Score(s, a, &t), -0.2);
  s = t;
  CheckLog10(lm.Score(s, b, &t), -0.05);
  s = t;
  CheckLog10(lm.EndScore(s), -0.15 + -0.1);  // bo(a b) + P(</s> | b)
  // After "a b": b b is listed (the state is "a b", backs off to "b").
  CheckLog10(lm.Score(s, b, &t), -0.15 + -0.4);
  // <s> b: not listed, bo(<s>) + P(b).
  CheckLog10(lm.Score(lm.Start(), b, &t), -0.3 + -0.7);
  // After "<s> b" the state is "b": b a backs off to P(a).
  CheckLog10(lm.Score(t, a, &t), -0.1 + -0.5);
  // An unknown word is <unk>: bo(<s>) + P(<unk>).
  CheckLog10(lm.Score(lm.Start(), lm.Id("zzz"), &t), -0.3 + -2.0);
  CheckLog10(lm.Score(lm.Start(), NgramLm::kNoWord, &t), -0.3 + -2.0);
}

TEST_CASE("NgramLm without <unk> scores unknown words with the floor") {
  const NgramLm lm = NgramLm::ParseArpa(
      "\\data\\\r\nngram 1=2\r\n\r\n\\1-grams:\r\n-0.5 a\r\n-0.3 </s>\r\n\\end\\\r\n", "u.arpa");
  CHECK(lm.UnkId() == NgramLm::kNoWord);
  CHECK(lm.Id("b") == NgramLm::kNoWord);
  NgramLm::State t = 0;
  CheckLog10(lm.Score(lm.Start(), lm.Id("b"), &t), kUnknownLog10Prob);
  CheckLog10(lm.Score(lm.Start(), lm.Id("a"), &t), -0.5);
  CheckLog10(lm.EndScore(t), -0.3);
}

TEST_CASE("NgramLm writes ARPA that reads back to the same model") {
  const NgramLm lm = NgramLm::ParseArpa(kTrigram, "t.arpa");
  const std::string arpa = lm.ToArpa();
  CHECK(arpa.rfind("\\data\\\nngram 1=5\nngram 2=4\nngram 3=1\n\n\\1-grams:\n-99\t<s>\t-0.3\n", 0) == 0);
  CHECK(arpa.find("\n-0.05\t<s>\ta\tb\n") != std::string::npos);
  const NgramLm again = NgramLm::ParseArpa(arpa, "again.arpa");
  CHECK(again.ToArpa() == arpa);
  NgramLm::State s1 = lm.Start(), s2 = again.Start();
  for (const char* w : {"a", "b", "b", "a", "zzz", "a"}) {
    CHECK(lm.Score(s1, lm.Id(w), &s1) == again.Score(s2, again.Id(w), &s2));
  }
}

// Found by fuzzing: a '\r' inside a line was part of a word, which a
// round trip through ToArpa lost (written at a line end, read as CRLF).
TEST_CASE("NgramLm: carriage returns, vertical tabs and form feeds separate fields") {
  const NgramLm lm = NgramLm::ParseArpa("\\data\\\nngram 1=2\n\n\\1-grams:\n-1\v</s>\r\n-.3 <w>\r \n\\end\\\n",
                                        "cr.arpa");
  CHECK(lm.Id("<w>") != lm.UnkId());
  CHECK(lm.Word(lm.Id("<w>")) == "<w>");
  const std::string arpa = lm.ToArpa();
  CHECK(NgramLm::ParseArpa(arpa, "again.arpa").ToArpa() == arpa);
}

TEST_CASE("NgramLm rejects bad ARPA files naming the file, line and problem") {
  const std::string head = "\\data\\\nngram 1=2\nngram 2=1\n\n\\1-grams:\n-0.5 a -0.1\n-0.3 </s>\n\n\\2-grams:\n";
  CHECK(ErrorOf("hello\n") == "x.arpa: not an ARPA language model (no \\data\\ line)");
  CHECK(ErrorOf(head + "-0.2 a </s>\n") == "x.arpa:10: the file ends inside the 2-grams (no \\end\\)");
  CHECK(ErrorOf(head + "-0.2 a </s>\n-0.2 a a\n\\end\\\n") ==
        "x.arpa:3: \\data\\ announces 1 2-grams, the file lists 2");
  CHECK(ErrorOf(head + "-0.2 a x\n\\end\\\n") == "x.arpa:10: word 'x' of a 2-gram is not a unigram");
  std::string trigram = kTrigram;
  trigram.replace(trigram.find("<s> a b"), 7, "b a b");
  CHECK_THROWS_WITH_AS(NgramLm::ParseArpa(trigram, "t.arpa"), "t.arpa:22: the history 'b a' of this 3-gram is not listed",
                       Error);
  CHECK(ErrorOf(head + "zero a </s>\n\\end\\\n") == "x.arpa:10: bad log10 probability 'zero'");
  CHECK(ErrorOf(head + "0.5 a </s>\n\\end\\\n") == "x.arpa:10: bad log10 probability '0.5'");
  CHECK(ErrorOf(head + "-0.2 a </s> -0.1\n\\end\\\n") == "x.arpa:10: a back-off weight on a 2-gram, the highest order");
  CHECK(ErrorOf(head + "-0.2 a\n\\end\\\n").starts_with("x.arpa:10: a 2-gram line needs"));
  CHECK(ErrorOf("\\data\\\nngram 1=2\n\n\\1-grams:\n-1 a\n-1 a\n\\end\\\n") == "x.arpa:6: duplicate 1-gram 'a'");
  CHECK(ErrorOf("\\data\\\nngram 2=1\n") == "x.arpa:2: expected the count of 1-grams, got 2-grams");
  CHECK(ErrorOf("\\data\\\nngram 1=1\n\n\\2-grams:\n") == "x.arpa:4: expected \\1-grams:, got '\\2-grams:'");
  CHECK(ErrorOf(head + "-0.2 a </s>\n\\end\\\n") == "");
  CHECK(ErrorOf("\\data\\\nngram 1=1\nngram 2=0\n\\1-grams:\n-1 a nan\n\\2-grams:\n\\end\\\n") ==
        "x.arpa:5: bad log10 back-off weight 'nan'");
  CHECK(ErrorOf("\\data\\\nngram 1=1\n\\1-grams:\n-1 a\n\\2-grams:\n") == "x.arpa:5: expected \\end\\, got '\\2-grams:'");
}

}  // namespace auris::decode
