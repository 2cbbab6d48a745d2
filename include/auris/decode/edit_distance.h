// Levenshtein alignment of a hypothesis against a reference (unit costs), the
// basis of word / character / label error rates. Among the alignments with
// the fewest edits, the one chosen prefers, walking back from the ends, a
// match or substitution over a deletion over an insertion (so "a b" vs "b c"
// counts 2 substitutions, not a deletion and an insertion). Time and memory
// are O(|ref| * |hyp|) (the whole table is kept for the walk back): meant for
// utterances, not whole corpora at once — sum the counts per utterance.
#pragma once

#include <map>
#include <span>
#include <vector>

namespace auris::decode {

struct EditOp {
  enum class Kind { kMatch, kSubstitution, kDeletion, kInsertion };
  Kind kind;
  int ref = -1;  // index into the reference (-1 for an insertion)
  int hyp = -1;  // index into the hypothesis (-1 for a deletion)
};

struct EditAlignment {
  int substitutions = 0;
  int deletions = 0;   // reference items missing from the hypothesis
  int insertions = 0;  // hypothesis items not in the reference
  int ref_length = 0;
  std::vector<EditOp> ops;  // in order, covering both sequences

  int Errors() const { return substitutions + deletions + insertions; }
  // Errors / ref_length (e.g. WER); 0 for an empty reference and hypothesis, and
  // for an empty reference with insertions, +inf as no rate is defined.
  double ErrorRate() const;
};

EditAlignment Align(std::span<const int> ref, std::span<const int> hyp);

// Any item type with operator< and == (std::string words, chars, ...): the
// items are mapped to ids and aligned as ints.
template <typename T>
EditAlignment Align(const std::vector<T>& ref, const std::vector<T>& hyp) {
  std::map<T, int> ids;
  auto to_ids = [&](const std::vector<T>& items) {
    std::vector<int> out;
    out.reserve(items.size());
    for (const T& item : items) out.push_back(ids.try_emplace(item, static_cast<int>(ids.size())).first->second);
    return out;
  };
  const std::vector<int> r = to_ids(ref);
  const std::vector<int> h = to_ids(hyp);
  return Align(std::span<const int>(r), std::span<const int>(h));
}

}  // namespace auris::decode
