#include "auris/decode/word_segmentation.h"

#include <cmath>
#include <limits>

#include "auris/core/error.h"

namespace auris::decode {

// States: 0 = outside before the first word; for word k (1-based)
// 3k-2 = onset, 3k-1 = inside, 3k = outside after it.
std::vector<FrameSpan> SegmentWords(const Eigen::Ref<const Matrix>& log_probs, int num_words) {
  if (log_probs.cols() != kNumBoundaryClasses)
    throw MakeError("word segmentation: ", log_probs.cols(), " boundary classes, expected ", kNumBoundaryClasses);
  const int T = static_cast<int>(log_probs.rows());
  // Every word but the last needs an onset and one more frame before the next onset.
  if (num_words < 0 || (num_words > 0 && 2 * num_words - 1 > T))
    throw MakeError("word segmentation: ", num_words, " words do not fit in ", T, " frames");
  if (num_words == 0) return {};
  for (int t = 0; t < T; ++t)
    for (int c = 0; c < kNumBoundaryClasses; ++c)
      if (std::isnan(log_probs(t, c))) throw MakeError("word segmentation: NaN at frame ", t);

  const int S = 3 * num_words + 1;
  constexpr double kNone = -std::numeric_limits<double>::infinity();
  auto cls = [](int s) { return s % 3 == 0 ? 0 : s % 3 == 1 ? 1 : 2; };  // BoundaryClass of state s
  std::vector<double> score(S, kNone), next(S);
  std::vector<int> back(static_cast<std::size_t>(T) * S, -1);
  score[0] = log_probs(0, 0);
  score[1] = log_probs(0, 1);
  for (int t = 1; t < T; ++t) {
    int* bp = &back[static_cast<std::size_t>(t) * S];
    for (int s = 0; s < S; ++s) {
      // Predecessors in order of preference on ties: the state itself first.
      int cand[3] = {s, -1, -1};
      const int k = (s + 2) / 3;  // word of an onset / inside / following outside state
      if (s == 0) {
      } else if (cls(s) == 1) {  // onset of word k: from outside or inside of word k-1
        cand[1] = 3 * (k - 1);
        if (k >= 2) cand[2] = 3 * (k - 1) - 1;
      } else if (cls(s) == 2) {  // inside of word k: from its onset
        cand[1] = s - 1;
      } else {  // outside after word k: from its onset or inside
        cand[1] = s - 2, cand[2] = s - 1;
      }
      double best = kNone;
      int arg = -1;
      for (int c : cand)
        if (c >= 0 && score[c] > best) best = score[c], arg = c;
      next[s] = arg < 0 ? kNone : best + log_probs(t, cls(s));
      bp[s] = arg;
    }
    score.swap(next);
  }
  // The path ends inside, at the onset of, or after the last word.
  int s = S - 1;
  for (int c : {S - 3, S - 2})
    if (score[c] > score[s]) s = c;
  std::vector<FrameSpan> spans(num_words, FrameSpan{-1, -1});
  for (int t = T - 1; t >= 0; --t) {
    if (cls(s) != 0) {
      FrameSpan& w = spans[(s + 2) / 3 - 1];
      if (w.last < 0) w.last = t;
      w.first = t;
    }
    if (t > 0) s = back[static_cast<std::size_t>(t) * S + s];
  }
  return spans;
}

}  // namespace auris::decode
