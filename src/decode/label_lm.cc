#include "auris/decode/label_lm.h"

#include <algorithm>
#include <limits>
#include <map>

#include "auris/core/error.h"

namespace auris::decode {
namespace {

std::uint64_t EdgeKey(std::int32_t node, int label) {
  return (static_cast<std::uint64_t>(static_cast<std::uint32_t>(node)) << 32) | static_cast<std::uint32_t>(label);
}

// `word` as a sequence of character labels (longest label first at each
// position); empty if some part of it is no label.
std::vector<int> Spell(const std::string& word, const std::map<std::string, int, std::less<>>& chars,
                       std::size_t longest) {
  std::vector<int> out;
  for (std::size_t pos = 0; pos < word.size();) {
    std::size_t n = std::min(longest, word.size() - pos);
    for (; n > 0; --n)
      if (auto it = chars.find(std::string_view(word).substr(pos, n)); it != chars.end()) {
        out.push_back(it->second);
        break;
      }
    if (n == 0) return {};
    pos += n;
  }
  return out;
}

}  // namespace

LabelLm::LabelLm(std::shared_ptr<const NgramLm> lm, const std::vector<std::string>& labels, bool char_units, int blank,
                 bool lookahead)
    : lm_(std::move(lm)), char_units_(char_units), label_word_(labels.size(), NgramLm::kNoWord) {
  if (!lm_) throw MakeError("language model fusion: no language model");
  if (!char_units_) {
    for (std::size_t c = 0; c < labels.size(); ++c)
      if (static_cast<int>(c) != blank) label_word_[c] = lm_->Id(labels[c]);
    return;
  }
  std::map<std::string, int, std::less<>> chars;
  std::size_t longest = 0;
  for (std::size_t c = 0; c < labels.size(); ++c) {
    if (static_cast<int>(c) == blank) continue;
    if (labels[c] == kWordSeparatorLabel) {
      space_ = static_cast<int>(c);
    } else if (!labels[c].empty()) {
      chars.emplace(labels[c], static_cast<int>(c));
      longest = std::max(longest, labels[c].size());
    }
  }
  if (space_ < 0) throw MakeError("language model fusion: character labels without the word separator '|'");
  // Trie of the LM's words; built through a map, then flattened for lookups.
  std::map<std::pair<std::int32_t, int>, std::int32_t> trie;
  node_word_.assign(1, NgramLm::kNoWord);
  node_lookahead_.assign(1, 0.0f);
  NgramLm::State unused = 0;
  for (NgramLm::WordId w = 0; w < lm_->NumWords(); ++w) {
    const std::string& word = lm_->Word(w);
    if (word == kSentenceStart || word == kSentenceEnd || word == kUnknownWord) continue;
    const float unigram = lm_->Score(NgramLm::kEmptyHistory, w, &unused);
    std::int32_t node = 0;
    const std::vector<int> spelling = Spell(word, chars, longest);
    for (int label : spelling) {
      auto [it, added] = trie.try_emplace({node, label}, static_cast<std::int32_t>(node_word_.size()));
      if (added) {
        node_word_.push_back(NgramLm::kNoWord);
        node_lookahead_.push_back(-std::numeric_limits<float>::infinity());
      }
      node = it->second;
      float& best = node_lookahead_[static_cast<std::size_t>(node)];
      best = std::max(best, unigram);
    }
    if (node > 0 && node_word_[static_cast<std::size_t>(node)] == NgramLm::kNoWord)
      node_word_[static_cast<std::size_t>(node)] = w;
  }
  for (const auto& [edge, child] : trie) edges_.emplace_back(EdgeKey(edge.first, edge.second), child);
  std::sort(edges_.begin(), edges_.end());
  if (lookahead) {
    off_trie_lookahead_ = lm_->Score(NgramLm::kEmptyHistory, NgramLm::kNoWord, &unused);
    // Finite, so that taking a lookahead back is never -inf - (-inf): an ARPA
    // file may give a word (or <unk>) log10(0) = -inf, as SRILM writes it.
    constexpr float kFloor = -1e4f;
    off_trie_lookahead_ = std::max(off_trie_lookahead_, kFloor);
    for (float& v : node_lookahead_) v = std::max(v, kFloor);
  } else {
    std::fill(node_lookahead_.begin(), node_lookahead_.end(), 0.0f);
  }
}

float LabelLm::Lookahead(const State& state) const noexcept {
  if (state.spelling == 0) return 0;
  return state.spelling < 0 ? off_trie_lookahead_ : node_lookahead_[static_cast<std::size_t>(state.spelling)];
}

std::int32_t LabelLm::Child(std::int32_t node, int label) const noexcept {
  if (node < 0) return -1;
  const std::uint64_t key = EdgeKey(node, label);
  auto it = std::lower_bound(edges_.begin(), edges_.end(), std::make_pair(key, std::int32_t{0}));
  return it != edges_.end() && it->first == key ? it->second : -1;
}

// Scores the unfinished word (a node without a word, or off the trie, is <unk>).
float LabelLm::CompleteWord(const State& state, State* next) const noexcept {
  const NgramLm::WordId word =
      state.spelling > 0 ? node_word_[static_cast<std::size_t>(state.spelling)] : NgramLm::kNoWord;
  next->spelling = 0;
  return lm_->Score(state.lm, word, &next->lm);
}

float LabelLm::Extend(const State& state, int label, State* next, int* words) const noexcept {
  if (!char_units_) {
    ++*words;
    next->spelling = 0;
    return lm_->Score(state.lm, label_word_[static_cast<std::size_t>(label)], &next->lm);
  }
  if (label != space_) {
    *next = State{state.lm, Child(state.spelling, label)};
    return Lookahead(*next) - Lookahead(state);
  }
  if (state.spelling == 0) {  // a space after a space (or at the start) completes nothing
    *next = state;
    return 0;
  }
  ++*words;
  return CompleteWord(state, next) - Lookahead(state);
}

float LabelLm::Finish(const State& state, int* words) const noexcept {
  State s = state;
  float score = 0;
  if (char_units_ && state.spelling != 0) {
    ++*words;
    score = CompleteWord(state, &s) - Lookahead(state);
  }
  return score + lm_->EndScore(s.lm);
}

}  // namespace auris::decode
