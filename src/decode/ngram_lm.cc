#include "auris/decode/ngram_lm.h"

#include <algorithm>
#include <cmath>
#include <numbers>

#include "auris/core/error.h"

namespace auris::decode {
namespace {

constexpr float kLn10 = std::numbers::ln10_v<float>;

std::uint64_t Key(std::uint32_t history, NgramLm::WordId word) {
  return (static_cast<std::uint64_t>(history) << 32) | static_cast<std::uint32_t>(word);
}

std::string Where(const std::string& name, const NgramEntry& e) {
  return e.line > 0 ? name + ":" + std::to_string(e.line) : name;
}

std::string Joined(const std::vector<std::string>& words, std::size_t n) {
  std::string s;
  for (std::size_t i = 0; i < n; ++i) s += (i ? " " : "") + words[i];
  return s;
}

}  // namespace

NgramLm::NgramLm(const std::vector<std::vector<NgramEntry>>& by_order, const std::string& name) {
  if (by_order.empty() || by_order[0].empty()) throw MakeError(name, ": the language model lists no unigrams");
  nodes_.emplace_back();  // the empty history
  for (std::size_t k = 0; k < by_order.size(); ++k) AddOrder(by_order[k], static_cast<int>(k) + 1, name);
  const int top = Order();
  for (std::uint32_t n = 1; n < nodes_.size(); ++n)
    nodes_[n].state_after = nodes_[n].order < top ? n : nodes_[n].backoff_to;
  // While unk_ is kNoWord, Id() finds exact spellings only.
  end_ = Id(kSentenceEnd);
  if (const WordId start = Id(kSentenceStart); start != kNoWord) start_ = Find(0, start);
  unk_ = Id(kUnknownWord);
}

void NgramLm::AddOrder(const std::vector<NgramEntry>& entries, int order, const std::string& name) {
  const std::size_t first_node = nodes_.size();
  std::vector<WordId> ids;
  for (const NgramEntry& e : entries) {
    if (static_cast<int>(e.words.size()) != order)
      throw MakeError(Where(name, e), ": a ", order, "-gram with ", e.words.size(), " words");
    if (std::isnan(e.log10_prob) || e.log10_prob == INFINITY || !std::isfinite(e.log10_backoff))
      throw MakeError(Where(name, e), ": bad value (log10 probability ", e.log10_prob, ", back-off ", e.log10_backoff,
                      ")");
    ids.clear();
    for (const std::string& w : e.words) {
      if (order == 1) break;
      const WordId id = Id(w);
      if (id == kNoWord)
        throw MakeError(Where(name, e), ": word '", w, "' of a ", order, "-gram is not a unigram");
      ids.push_back(id);
    }
    Node node;
    node.order = order;
    node.log10_prob = e.log10_prob;
    node.log10_backoff = e.log10_backoff;
    if (order == 1) {
      node.word = static_cast<WordId>(words_.size());
      words_.push_back(e.words[0]);
    } else {
      node.word = ids.back();
      node.history = FindWords(ids, 0, ids.size() - 1);
      if (node.history == 0)
        throw MakeError(Where(name, e), ": the history '", Joined(e.words, e.words.size() - 1), "' of this ", order,
                        "-gram is not listed");
      for (std::size_t s = 1; s < ids.size() && node.backoff_to == 0; ++s) node.backoff_to = FindWords(ids, s, ids.size());
    }
    nodes_.push_back(node);
  }
  for (std::size_t n = first_node; n < nodes_.size(); ++n)
    children_.emplace_back(Key(nodes_[n].history, nodes_[n].word), static_cast<std::uint32_t>(n));
  std::sort(children_.begin(), children_.end());
  for (std::size_t i = 1; i < children_.size(); ++i)
    if (children_[i].first == children_[i - 1].first) {
      const std::uint32_t later = std::max(children_[i].second, children_[i - 1].second);
      const NgramEntry& e = entries[later - first_node];
      throw MakeError(Where(name, e), ": duplicate ", order, "-gram '", Joined(e.words, e.words.size()), "'");
    }
  if (order == 1) {
    by_spelling_.resize(words_.size());
    for (std::size_t i = 0; i < words_.size(); ++i) by_spelling_[i] = static_cast<WordId>(i);
    std::sort(by_spelling_.begin(), by_spelling_.end(),
              [this](WordId a, WordId b) { return words_[static_cast<std::size_t>(a)] < words_[static_cast<std::size_t>(b)]; });
    for (std::size_t i = 1; i < by_spelling_.size(); ++i) {
      const auto x = static_cast<std::size_t>(by_spelling_[i - 1]), y = static_cast<std::size_t>(by_spelling_[i]);
      if (words_[x] == words_[y])
        throw MakeError(Where(name, entries[std::max(x, y)]), ": duplicate 1-gram '", words_[x], "'");
    }
  }
  counts_.push_back(entries.size());
}

std::uint32_t NgramLm::Find(std::uint32_t history, WordId word) const noexcept {
  const std::uint64_t key = Key(history, word);
  auto it = std::lower_bound(children_.begin(), children_.end(), std::make_pair(key, std::uint32_t{0}));
  return it != children_.end() && it->first == key ? it->second : 0;
}

// The node of words[first, last), or 0 if that n-gram is not listed.
std::uint32_t NgramLm::FindWords(const std::vector<WordId>& words, std::size_t first, std::size_t last) const {
  std::uint32_t node = 0;
  for (std::size_t i = first; i < last; ++i)
    if ((node = Find(node, words[i])) == 0) return 0;
  return node;
}

NgramLm::WordId NgramLm::Id(std::string_view word) const noexcept {
  auto it = std::lower_bound(by_spelling_.begin(), by_spelling_.end(), word, [this](WordId id, std::string_view w) {
    return words_[static_cast<std::size_t>(id)] < w;
  });
  return it != by_spelling_.end() && words_[static_cast<std::size_t>(*it)] == word ? *it : unk_;
}

float NgramLm::Score(State state, WordId word, State* next) const noexcept {
  if (word < 0 || word >= NumWords()) word = unk_;
  float log10 = 0;
  for (std::uint32_t h = state;;) {
    if (word != kNoWord) {
      if (const std::uint32_t n = Find(h, word); n != 0) {
        *next = nodes_[n].state_after;
        return kLn10 * (log10 + nodes_[n].log10_prob);
      }
    }
    if (h == 0) break;
    log10 += nodes_[h].log10_backoff;
    h = nodes_[h].backoff_to;
  }
  *next = 0;  // only reached for an unknown word without <unk>
  return kLn10 * (log10 + kUnknownLog10Prob);
}

float NgramLm::EndScore(State state) const noexcept {
  State unused = 0;
  return Score(state, end_, &unused);
}

}  // namespace auris::decode
