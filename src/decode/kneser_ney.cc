#include "auris/decode/kneser_ney.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

#include "auris/core/error.h"

namespace auris::decode {
namespace {

using Gram = std::vector<int>;  // word ids, oldest first
using Counts = std::map<Gram, long>;

// Adjusted counts per order (index n - 1): raw at the highest order and for
// n-grams starting with <s>, continuation counts N1+(. g) below.
std::vector<Counts> AdjustedCounts(const std::vector<Gram>& sentences, int order, int bos) {
  std::vector<Counts> raw(static_cast<std::size_t>(order));
  for (const Gram& s : sentences)
    for (std::size_t i = 0; i < s.size(); ++i)
      for (std::size_t n = 1; n <= static_cast<std::size_t>(order) && i + n <= s.size(); ++n)
        ++raw[n - 1][Gram(s.begin() + static_cast<std::ptrdiff_t>(i), s.begin() + static_cast<std::ptrdiff_t>(i + n))];
  std::vector<Counts> a(raw.size());
  a.back() = raw.back();
  for (std::size_t n = raw.size() - 1; n >= 1; --n) {
    for (const auto& [g, c] : raw[n - 1]) a[n - 1][g] = g.front() == bos ? c : 0;
    for (const auto& [g, c] : raw[n]) ++a[n - 1][Gram(g.begin() + 1, g.end())];  // never starts with <s>
  }
  return a;
}

// The discount of an adjusted count.
double Discount(const std::array<double, 3>& d, long count) {
  return count <= 0 ? 0 : d[static_cast<std::size_t>(std::min(count, 3L) - 1)];
}

}  // namespace

void KneserNeyOptions::Validate() const {
  if (order < 1) throw MakeError("--order must be >= 1, got ", order);
}

std::string KneserNeyOptions::ToString() const { return "order=" + std::to_string(order); }

std::array<double, 3> KneserNeyDiscounts(const std::array<long, 4>& n) {
  const std::array<double, 3> fallback = {0.5, 1.0, 1.5};
  if (n[0] <= 0 || n[1] <= 0 || n[2] <= 0 || n[3] <= 0) return fallback;
  const double y = static_cast<double>(n[0]) / static_cast<double>(n[0] + 2 * n[1]);
  std::array<double, 3> d{};
  for (std::size_t k = 1; k <= 3; ++k) {
    d[k - 1] = static_cast<double>(k) - static_cast<double>(k + 1) * y * static_cast<double>(n[k]) /
                                            static_cast<double>(n[k - 1]);
    if (!(d[k - 1] > 0 && d[k - 1] <= static_cast<double>(k))) return fallback;
  }
  return d;
}

NgramLm EstimateKneserNey(const std::vector<std::vector<std::string>>& text, const KneserNeyOptions& options) {
  options.Validate();
  if (text.empty()) throw MakeError("language model estimation: no sentences");
  std::set<std::string> spellings = {kSentenceStart, kSentenceEnd, kUnknownWord};
  for (std::size_t i = 0; i < text.size(); ++i)
    for (const std::string& w : text[i]) {
      if (w == kSentenceStart || w == kSentenceEnd)
        throw MakeError("language model estimation: sentence ", i + 1, " contains ", w);
      spellings.insert(w);
    }
  const std::vector<std::string> vocab(spellings.begin(), spellings.end());
  auto id = [&vocab](const std::string& w) {
    return static_cast<int>(std::lower_bound(vocab.begin(), vocab.end(), w) - vocab.begin());
  };
  const int bos = id(kSentenceStart), eos = id(kSentenceEnd), unk = id(kUnknownWord);
  std::vector<Gram> sentences;
  for (const auto& words : text) {
    Gram& s = sentences.emplace_back(1, bos);
    for (const std::string& w : words) s.push_back(id(w));
    s.push_back(eos);
  }
  const int top = options.order;
  std::vector<Counts> a = AdjustedCounts(sentences, top, bos);
  a[0].erase(Gram{bos});  // <s> is never predicted
  a[0].try_emplace(Gram{unk}, 0);
  const double uniform = 1.0 / static_cast<double>(vocab.size() - 1);  // every word but <s>

  // prob[n - 1][g]: p(last word of g | the others); gamma[n - 1][h]: the
  // back-off weight of history h (an n-gram) towards order n + 1.
  std::vector<std::map<Gram, double>> prob(a.size()), gamma(a.size());
  for (std::size_t n = 1; n <= a.size(); ++n) {
    std::array<long, 4> coc{};
    for (const auto& [g, c] : a[n - 1])
      if (c >= 1 && c <= 4) ++coc[static_cast<std::size_t>(c - 1)];
    const std::array<double, 3> d = KneserNeyDiscounts(coc);
    // n-grams sharing a history are adjacent in the sorted map.
    for (auto first = a[n - 1].begin(); first != a[n - 1].end();) {
      auto last = first;
      double total = 0, mass = 0;
      for (; last != a[n - 1].end() && std::equal(first->first.begin(), first->first.end() - 1, last->first.begin());
           ++last) {
        total += static_cast<double>(last->second);
        mass += Discount(d, last->second);
      }
      const double g = mass / total;
      const Gram history(first->first.begin(), first->first.end() - 1);
      if (n > 1) gamma[n - 2][history] = g;
      for (auto it = first; it != last; ++it) {
        const double lower = n == 1 ? uniform : prob[n - 2].at(Gram(it->first.begin() + 1, it->first.end()));
        prob[n - 1][it->first] =
            std::max(static_cast<double>(it->second) - Discount(d, it->second), 0.0) / total + g * lower;
      }
      first = last;
    }
  }

  std::vector<std::vector<NgramEntry>> by_order(a.size());
  for (std::size_t n = 1; n <= a.size(); ++n) {
    if (n == 1) prob[0][Gram{bos}] = 0;  // listed (as a history) with ARPA's -99
    for (const auto& [g, p] : prob[n - 1]) {
      NgramEntry e;
      for (int w : g) e.words.push_back(vocab[static_cast<std::size_t>(w)]);
      e.log10_prob = g == Gram{bos} ? -99.0f : static_cast<float>(std::log10(p));
      if (n < a.size())
        if (auto it = gamma[n - 1].find(g); it != gamma[n - 1].end()) e.log10_backoff = static_cast<float>(std::log10(it->second));
      by_order[n - 1].push_back(std::move(e));
    }
  }
  return NgramLm(by_order, "Kneser-Ney estimate");
}

}  // namespace auris::decode
