// Levenshtein alignment against hand-worked examples.
#include "auris/decode/edit_distance.h"

#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <random>
#include <string>
#include <vector>

namespace auris::decode {
namespace {

using K = EditOp::Kind;

std::vector<K> Kinds(const EditAlignment& a) {
  std::vector<K> k;
  for (const EditOp& op : a.ops) k.push_back(op.kind);
  return k;
}

std::vector<char> Chars(const std::string& s) { return {s.begin(), s.end()}; }

EditAlignment AlignInts(std::vector<int> ref, std::vector<int> hyp) { return Align(ref, hyp); }

// The textbook recursion, without a table: an independent distance.
int NaiveDistance(const std::vector<int>& r, std::size_t i, const std::vector<int>& h, std::size_t j) {
  if (i == r.size()) return static_cast<int>(h.size() - j);
  if (j == h.size()) return static_cast<int>(r.size() - i);
  return std::min({NaiveDistance(r, i + 1, h, j + 1) + (r[i] == h[j] ? 0 : 1), NaiveDistance(r, i + 1, h, j) + 1,
                   NaiveDistance(r, i, h, j + 1) + 1});
}

}  // namespace

TEST_CASE("Align: identical sequences are all matches") {
  const EditAlignment a = AlignInts({4, 5, 6}, {4, 5, 6});
  CHECK(a.Errors() == 0);
  CHECK(a.ref_length == 3);
  CHECK(Kinds(a) == std::vector<K>{K::kMatch, K::kMatch, K::kMatch});
  CHECK(a.ErrorRate() == 0.0);
}

TEST_CASE("Align: one deletion, one insertion, one substitution, with indices") {
  const EditAlignment del = AlignInts({1, 2, 3}, {1, 3});
  CHECK(del.deletions == 1);
  CHECK(del.Errors() == 1);
  CHECK(Kinds(del) == std::vector<K>{K::kMatch, K::kDeletion, K::kMatch});
  CHECK(del.ops[1].ref == 1);
  CHECK(del.ops[1].hyp == -1);
  CHECK(del.ops[2].ref == 2);
  CHECK(del.ops[2].hyp == 1);

  const EditAlignment ins = AlignInts({1, 2}, {1, 2, 3});
  CHECK(ins.insertions == 1);
  CHECK(ins.Errors() == 1);
  CHECK(Kinds(ins) == std::vector<K>{K::kMatch, K::kMatch, K::kInsertion});
  CHECK(ins.ops[2].ref == -1);
  CHECK(ins.ops[2].hyp == 2);
  CHECK(ins.ErrorRate() == doctest::Approx(0.5));

  const EditAlignment sub = AlignInts({1, 2, 3}, {1, 4, 3});
  CHECK(sub.substitutions == 1);
  CHECK(sub.Errors() == 1);
  CHECK(Kinds(sub) == std::vector<K>{K::kMatch, K::kSubstitution, K::kMatch});
}

TEST_CASE("Align: empty sides") {
  const EditAlignment none = AlignInts({}, {});
  CHECK(none.Errors() == 0);
  CHECK(none.ops.empty());
  CHECK(none.ErrorRate() == 0.0);

  const EditAlignment all_ins = AlignInts({}, {7, 8});
  CHECK(all_ins.insertions == 2);
  CHECK(std::isinf(all_ins.ErrorRate()));

  const EditAlignment all_del = AlignInts({7, 8}, {});
  CHECK(all_del.deletions == 2);
  CHECK(all_del.ErrorRate() == 1.0);
}

TEST_CASE("Align: kitten -> sitting is 2 substitutions and 1 insertion") {
  const EditAlignment a = Align(Chars("kitten"), Chars("sitting"));
  CHECK(a.substitutions == 2);  // k->s, e->i
  CHECK(a.insertions == 1);     // g
  CHECK(a.deletions == 0);
  CHECK(Kinds(a) == std::vector<K>{K::kSubstitution, K::kMatch, K::kMatch, K::kMatch, K::kSubstitution,
                                   K::kMatch, K::kInsertion});
}

TEST_CASE("Align words: WER of a hypothesis with a substitution and a deletion") {
  const std::vector<std::string> ref{"the", "cat", "sat", "on", "the", "mat"};
  const std::vector<std::string> hyp{"the", "cat", "sit", "on", "mat"};
  const EditAlignment a = Align(ref, hyp);
  CHECK(a.substitutions == 1);
  CHECK(a.deletions == 1);
  CHECK(a.insertions == 0);
  CHECK(a.ErrorRate() == doctest::Approx(2.0 / 6.0));
  CHECK(Kinds(a) == std::vector<K>{K::kMatch, K::kMatch, K::kSubstitution, K::kMatch, K::kDeletion, K::kMatch});
}

TEST_CASE("Align: among equally short alignments, substitutions are preferred") {
  // "a b" -> "b c": 2 substitutions or deletion + match + insertion (also 2).
  const EditAlignment a = AlignInts({1, 2}, {2, 3});
  CHECK(a.substitutions == 2);
  CHECK(a.deletions == 0);
  CHECK(a.insertions == 0);
  // A deletion at the start is not a tie: 1 edit versus 2.
  const EditAlignment d = AlignInts({1, 2}, {2});
  CHECK(d.deletions == 1);
  CHECK(d.Errors() == 1);
  CHECK(Kinds(d) == std::vector<K>{K::kDeletion, K::kMatch});
}

TEST_CASE("Align: random pairs have the naive distance, and the ops turn ref into hyp") {
  std::mt19937 gen(5);
  for (int trial = 0; trial < 300; ++trial) {
    std::vector<int> ref(gen() % 6), hyp(gen() % 6);
    for (int& x : ref) x = static_cast<int>(gen() % 3);
    for (int& x : hyp) x = static_cast<int>(gen() % 3);
    CAPTURE(trial);
    const EditAlignment a = Align(ref, hyp);
    CHECK(a.Errors() == NaiveDistance(ref, 0, hyp, 0));
    // Replay: ops walk both sequences in order; matches and substitutions
    // pair items, deletions skip ref items, insertions take hyp items.
    std::vector<int> rebuilt;
    int next_ref = 0, next_hyp = 0, subs = 0, dels = 0, inss = 0;
    for (const EditOp& op : a.ops) {
      if (op.kind != K::kInsertion) CHECK(op.ref == next_ref++);
      if (op.kind != K::kDeletion) {
        CHECK(op.hyp == next_hyp++);
        rebuilt.push_back(hyp[op.hyp]);
      }
      if (op.kind == K::kMatch) CHECK(ref[op.ref] == hyp[op.hyp]);
      if (op.kind == K::kSubstitution) CHECK(ref[op.ref] != hyp[op.hyp]);
      subs += op.kind == K::kSubstitution;
      dels += op.kind == K::kDeletion;
      inss += op.kind == K::kInsertion;
    }
    CHECK(next_ref == static_cast<int>(ref.size()));
    CHECK(rebuilt == hyp);
    CHECK(subs == a.substitutions);
    CHECK(dels == a.deletions);
    CHECK(inss == a.insertions);
  }
}

}  // namespace auris::decode
