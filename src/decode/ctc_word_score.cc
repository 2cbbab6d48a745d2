#include "auris/decode/ctc_word_score.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "auris/core/error.h"

namespace auris::decode {
namespace {

constexpr double kNegInf = -std::numeric_limits<double>::infinity();

double LogAdd(double a, double b) {
  if (a == kNegInf) return b;
  if (b == kNegInf) return a;
  const double m = std::max(a, b);
  return m + std::log1p(std::exp(-std::abs(a - b)));
}

}  // namespace

std::vector<double> CtcSingleLabelLogProbs(const Matrix& log_probs, int blank) {
  const Eigen::Index T = log_probs.rows();
  const int C = static_cast<int>(log_probs.cols());
  if (blank < 0 || blank >= C) throw MakeError("CTC word score: blank ", blank, " is not one of ", C, " classes");
  if (log_probs.hasNaN()) throw MakeError("CTC word score: NaN in the log-probabilities");
  std::vector<double> out(static_cast<std::size_t>(C), kNegInf);
  if (T == 0) return out;
  for (int k = 0; k < C; ++k) {
    if (k == blank) continue;
    // Three states of the extended target (blank, k, blank): before the
    // label, inside its run, after it.
    double before = log_probs(0, blank), in = log_probs(0, k), after = kNegInf;
    for (Eigen::Index t = 1; t < T; ++t) {
      const double b = log_probs(t, blank), x = log_probs(t, k);
      after = LogAdd(in, after) + b;
      in = LogAdd(before, in) + x;
      before += b;
    }
    out[static_cast<std::size_t>(k)] = LogAdd(in, after);
  }
  return out;
}

std::vector<float> CtcWordPosteriors(const Matrix& log_probs, int blank) {
  std::vector<double> scores = CtcSingleLabelLogProbs(log_probs, blank);
  scores.erase(scores.begin() + blank);
  if (scores.empty()) throw MakeError("CTC word score: no class besides the blank");
  const double best = *std::max_element(scores.begin(), scores.end());
  if (best == kNegInf) throw MakeError("CTC word score: no frames to score");
  double sum = 0;
  for (double s : scores) sum += std::exp(s - best);
  std::vector<float> p;
  for (double s : scores) p.push_back(static_cast<float>(std::exp(s - best) / sum));
  return p;
}

}  // namespace auris::decode
