#include "auris/decode/ctc_forced_align.h"

#include <limits>

#include "auris/core/error.h"

namespace auris::decode {

CtcAlignment CtcForcedAlign(const Eigen::Ref<const Matrix>& lp, const std::vector<int>& targets, int blank) {
  const int T = static_cast<int>(lp.rows());
  const int C = static_cast<int>(lp.cols());
  const int L = static_cast<int>(targets.size());
  if (blank < 0 || blank >= C) throw MakeError("CTC alignment: blank ", blank, " is not one of ", C, " classes");
  if (lp.hasNaN()) throw MakeError("CTC alignment: NaN in the log-probabilities");
  int repeats = 0;
  for (int i = 0; i < L; ++i) {
    if (targets[i] < 0 || targets[i] >= C || targets[i] == blank)
      throw MakeError("CTC alignment: target ", i, " is label ", targets[i], ", not a non-blank one of ", C, " classes");
    if (i > 0 && targets[i] == targets[i - 1]) ++repeats;
  }
  if (T < L + repeats) throw MakeError("CTC alignment: ", T, " frames cannot hold ", L, " labels (", repeats, " repeated)");
  CtcAlignment out;
  if (L == 0) {
    for (int t = 0; t < T; ++t) out.log_prob += lp(t, blank);
    return out;
  }
  // Extended states s = 0..2L: even = blank, odd = target (s - 1) / 2.
  const int S = 2 * L + 1;
  constexpr double kNegInf = -std::numeric_limits<double>::infinity();
  auto label = [&](int s) { return s % 2 == 0 ? blank : targets[s / 2]; };
  std::vector<double> score(S, kNegInf), next(S);
  std::vector<signed char> back(static_cast<std::size_t>(T) * S, 0);  // steps back from the previous frame's state
  score[0] = lp(0, blank);
  score[1] = lp(0, targets[0]);
  for (int t = 1; t < T; ++t) {
    for (int s = 0; s < S; ++s) {
      double best = score[s];
      signed char step = 0;
      if (s >= 1 && score[s - 1] > best) best = score[s - 1], step = 1;
      if (s >= 2 && s % 2 == 1 && targets[s / 2] != targets[s / 2 - 1] && score[s - 2] > best)
        best = score[s - 2], step = 2;
      next[s] = best + lp(t, label(s));
      back[static_cast<std::size_t>(t) * S + s] = step;
    }
    score.swap(next);
  }
  int s = score[S - 1] >= score[S - 2] ? S - 1 : S - 2;
  out.log_prob = score[s];
  if (out.log_prob == kNegInf) throw MakeError("CTC alignment: no path of finite probability");
  out.first_frame.assign(L, -1);
  out.last_frame.assign(L, -1);
  for (int t = T - 1; t >= 0; --t) {
    if (s % 2 == 1) {
      const int i = s / 2;
      if (out.last_frame[i] < 0) out.last_frame[i] = t;
      out.first_frame[i] = t;
    }
    if (t > 0) s -= back[static_cast<std::size_t>(t) * S + s];
  }
  return out;
}

}  // namespace auris::decode
