// A back-off n-gram word language model, as ARPA files describe it (written
// by Kaldi, KenLM, SRILM or `auris lm`): per n-gram a log10 probability and,
// below the highest order, a log10 back-off weight.
//
//   P(w | h) = P_arpa(h w)                   if "h w" is listed
//            = backoff(h) * P(w | h minus its oldest word)   otherwise
//
// Scoring walks a compact State (one integer: the longest listed n-gram that
// can still be extended), so a decoder keeps one State per hypothesis. Words
// are ids (WordId); a word the LM does not list is UnkId(): the <unk> unigram
// if the LM has one, else a floor probability of kUnknownLog10Prob.
//
// Scores are natural logs. Lookups are binary searches over sorted arrays:
// no allocation, noexcept.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace auris::decode {

inline constexpr const char* kSentenceStart = "<s>";
inline constexpr const char* kSentenceEnd = "</s>";
inline constexpr const char* kUnknownWord = "<unk>";
// log10 P(word) of a word the LM does not know when it lists no <unk> (KenLM
// uses -100; -10 keeps an out-of-vocabulary word possible under fusion).
inline constexpr float kUnknownLog10Prob = -10.0f;

// One n-gram as an ARPA file lists it.
struct NgramEntry {
  std::vector<std::string> words;  // oldest first
  float log10_prob = 0;
  float log10_backoff = 0;
  int line = 0;  // line of the ARPA file, for errors (0: not from a file)
};

class NgramLm {
 public:
  using State = std::uint32_t;
  using WordId = std::int32_t;
  static constexpr WordId kNoWord = -1;

  // by_order[k] holds the (k+1)-grams. Throws auris::Error naming `name`, the
  // line (when known) and the problem: no unigrams, an n-gram of the wrong
  // length, a duplicate, or one whose history (its words without the last)
  // is not listed, a NaN or +inf value.
  NgramLm(const std::vector<std::vector<NgramEntry>>& by_order, const std::string& name);

  // ARPA text. Throws auris::Error "name:line: problem".
  static NgramLm ParseArpa(std::string_view text, const std::string& name);
  static NgramLm ReadArpa(const std::string& path);
  // ARPA text of the n-grams in their original order; values are written
  // to round-trip exactly (callers write it to a file, e.g. atomically).
  std::string ToArpa() const;

  int Order() const { return static_cast<int>(counts_.size()); }
  std::size_t NumNgrams(int order) const { return counts_.at(static_cast<std::size_t>(order) - 1); }
  int NumWords() const { return static_cast<int>(words_.size()); }
  const std::string& Word(WordId id) const { return words_[static_cast<std::size_t>(id)]; }
  // The id of `word`, or UnkId() if the LM does not list it.
  WordId Id(std::string_view word) const noexcept;
  // <unk>'s id, or kNoWord when the LM has none (scored with the floor).
  WordId UnkId() const noexcept { return unk_; }
  WordId EndId() const noexcept { return end_; }

  // The history "<s>" (the empty history if the LM has no <s>).
  State Start() const noexcept { return start_; }
  // The empty history (unigram probabilities).
  static constexpr State kEmptyHistory = 0;
  // ln P(word | state); *next is the state after it. kNoWord (or an id out
  // of range) is an unknown word.
  float Score(State state, WordId word, State* next) const noexcept;
  // ln P(</s> | state).
  float EndScore(State state) const noexcept;

 private:
  struct Node {               // one listed n-gram; node 0 is the empty history
    WordId word = kNoWord;    // its last word
    std::uint32_t history = 0;  // node of its words without the last
    std::uint32_t backoff_to = 0;  // node of its longest listed proper suffix
    std::uint32_t state_after = 0; // the State after it was scored
    float log10_prob = 0, log10_backoff = 0;
    int order = 0;
  };

  std::uint32_t Find(std::uint32_t history, WordId word) const noexcept;  // node or 0
  std::uint32_t FindWords(const std::vector<WordId>& words, std::size_t first, std::size_t last) const;
  void AddOrder(const std::vector<NgramEntry>& entries, int order, const std::string& name);

  std::vector<Node> nodes_;
  std::vector<std::pair<std::uint64_t, std::uint32_t>> children_;  // (history << 32 | word, node), sorted
  std::vector<std::string> words_;  // by id (unigram order)
  std::vector<WordId> by_spelling_;  // ids sorted by word
  std::vector<std::size_t> counts_;  // n-grams per order
  WordId unk_ = kNoWord, end_ = kNoWord;
  State start_ = 0;
};

}  // namespace auris::decode
