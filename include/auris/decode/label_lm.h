// A word language model seen through a CTC model's labels, for shallow
// fusion in the prefix beam search. A prefix carries a LabelLm::State; each
// label appended to it may complete a word, which is then scored by the
// n-gram LM:
//   word units  every label is a word;
//   char units  labels are characters and "|" the space: a word completes
//               when "|" follows a character, and at the end of the
//               utterance (Finish) the unfinished last word does, then </s>.
// Characters are followed in a trie of the LM's words spelled in the model's
// labels, so no string is built while decoding; a spelling that leaves the
// trie is an out-of-vocabulary word (the LM's <unk>).
//
// LM lookahead (char units): while a word is being spelled, its prefix
// already carries an estimate of the word's score, the best unigram ln P
// among the LM words it can still become (off the trie: <unk>'s), replaced
// by the word's real n-gram score when it completes. So the beam ranks a
// half-spelled word by what it can become instead of treating every
// spelling alike until its end (flashlight's lexicon decoder "smears" its
// trie the same way); a sum over a whole utterance is unchanged.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "auris/decode/ngram_lm.h"

namespace auris::decode {

inline constexpr const char* kWordSeparatorLabel = "|";

class LabelLm {
 public:
  struct State {
    NgramLm::State lm = 0;
    // Char units: trie node of the unfinished word; 0 none, -1 a spelling
    // that is no LM word's prefix.
    std::int32_t spelling = 0;
  };

  // labels: the CTC model's labels (labels[blank] is never appended). Throws
  // auris::Error if lm is null or, with char_units, no label is "|".
  // lookahead = false scores a word only when it completes.
  LabelLm(std::shared_ptr<const NgramLm> lm, const std::vector<std::string>& labels, bool char_units, int blank = 0,
          bool lookahead = true);

  State Start() const noexcept { return State{lm_->Start(), 0}; }
  // The change of the LM score that appending `label` makes: ln P of the word
  // it completes (0 if none) plus the change of the lookahead; adds the
  // number of completed words to *words.
  float Extend(const State& state, int label, State* next, int* words) const noexcept;
  // The rest of the utterance's LM score: the unfinished word (char units,
  // its lookahead taken back), then </s>.
  float Finish(const State& state, int* words) const noexcept;
  // The lookahead in `state`'s score (0 without lookahead or a word begun).
  float Lookahead(const State& state) const noexcept;

  int NumClasses() const { return static_cast<int>(label_word_.size()); }
  bool CharUnits() const { return char_units_; }
  const NgramLm& Lm() const { return *lm_; }

 private:
  std::int32_t Child(std::int32_t node, int label) const noexcept;
  float CompleteWord(const State& state, State* next) const noexcept;

  std::shared_ptr<const NgramLm> lm_;
  bool char_units_;
  int space_ = -1;
  std::vector<NgramLm::WordId> label_word_;  // word units: the LM word of each label
  std::vector<std::pair<std::uint64_t, std::int32_t>> edges_;  // (node << 32 | label, child), sorted
  std::vector<NgramLm::WordId> node_word_;  // per trie node: the word spelled, or kNoWord
  std::vector<float> node_lookahead_;       // per trie node: the best unigram ln P below it (0 if off)
  float off_trie_lookahead_ = 0;            // <unk>'s unigram ln P (0 if off)
};

}  // namespace auris::decode
