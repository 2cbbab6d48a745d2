// Estimating an n-gram LM from text: interpolated modified Kneser-Ney
// (Chen & Goodman, "An empirical study of smoothing techniques for language
// modeling", 1998, section 3), as SRILM's -kndiscount -interpolate and
// KenLM's lmplz do.
//
// Each sentence is padded as <s> words </s>. Counts: raw counts at the
// highest order and for n-grams starting with <s> (nothing precedes them);
// below, continuation counts N1+(. g), the number of distinct words seen
// before g. Per order, from the counts-of-counts n1..n4 of those counts:
//   Y = n1 / (n1 + 2 n2),  D1 = 1 - 2Y n2/n1,  D2 = 2 - 3Y n3/n2,  D3+ = 3 - 4Y n4/n3;
// when a count-of-counts is 0 or a discount leaves (0, k] (tiny corpora),
// KenLM's fallback discounts 0.5, 1, 1.5 for that order. Then
//   p(w | h) = max(a(hw) - D(a(hw)), 0) / sum_v a(hv) + gamma(h) p(w | h'),
//   gamma(h) = (D1 N1(h.) + D2 N2(h.) + D3+ N3+(h.)) / sum_v a(hv),
// down to the uniform distribution over the vocabulary (every word seen,
// </s> and <unk>; never <s>). The ARPA back-off weight of h is gamma(h).
// Output is deterministic: n-grams sorted by their words.
#pragma once

#include <array>
#include <string>
#include <vector>

#include "auris/decode/ngram_lm.h"

namespace auris::decode {

struct KneserNeyOptions {
  int order = 3;  // n-grams of orders 1..order

  void Validate() const;  // throws auris::Error naming --order
  std::string ToString() const;
};

// D1, D2, D3+ from the counts-of-counts n1..n4, or the fallback (0.5, 1, 1.5).
std::array<double, 3> KneserNeyDiscounts(const std::array<long, 4>& count_of_counts);

// sentences: words without <s> and </s> (a <unk> in the text is counted
// like any word). Throws auris::Error if there is no word at all or a
// sentence holds <s> or </s>.
NgramLm EstimateKneserNey(const std::vector<std::vector<std::string>>& sentences, const KneserNeyOptions& options);

}  // namespace auris::decode
