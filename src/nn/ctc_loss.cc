#include "auris/nn/ctc_loss.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <sstream>

#include "auris/core/check.h"

namespace auris::nn {
namespace {

constexpr double kNegInf = -std::numeric_limits<double>::infinity();

double LogAdd(double a, double b) {
  if (a < b) std::swap(a, b);
  if (b == kNegInf) return a;
  return a + std::log1p(std::exp(b - a));
}

// Row-major T x n table of doubles.
struct Table {
  std::vector<double> v;
  int cols = 0;
  Table(int rows, int n, double fill) : v(static_cast<std::size_t>(rows) * n, fill), cols(n) {}
  double* operator[](int r) { return v.data() + static_cast<std::size_t>(r) * cols; }
};

// One sequence: returns log p(target | input) (kNegInf if impossible) and,
// if finite, writes weight * dLoss/dLogits into the sequence's frames of grad.
double Sequence(const SeqBatch& logits, int b, const std::vector<int>& target, double weight,
                SeqBatch& grad) {
  const int frames = logits.lengths[b];
  const int num_classes = logits.Dim();
  const int num_labels = static_cast<int>(target.size());
  if (frames == 0) return num_labels == 0 ? 0.0 : kNegInf;
  const int ext = 2 * num_labels + 1;  // blank, l1, blank, l2, ..., blank
  auto label = [&](int s) { return s % 2 == 0 ? kCtcBlank : target[s / 2]; };
  // s may come from s-2 unless it is a blank or repeats the label two back.
  auto can_skip = [&](int s) { return s >= 2 && s % 2 == 1 && label(s) != label(s - 2); };

  Table logp(frames, num_classes, 0.0);
  for (int t = 0; t < frames; ++t) {
    const float* x = logits.Frame(t, b).data();
    double max = x[0];
    for (int c = 1; c < num_classes; ++c) max = std::max(max, static_cast<double>(x[c]));
    double sum = 0;
    for (int c = 0; c < num_classes; ++c) sum += std::exp(x[c] - max);
    const double log_z = max + std::log(sum);
    for (int c = 0; c < num_classes; ++c) logp[t][c] = x[c] - log_z;
  }

  Table alpha(frames, ext, kNegInf);
  alpha[0][0] = logp[0][kCtcBlank];
  if (ext > 1) alpha[0][1] = logp[0][label(1)];
  for (int t = 1; t < frames; ++t)
    for (int s = 0; s < ext; ++s) {
      double a = alpha[t - 1][s];
      if (s >= 1) a = LogAdd(a, alpha[t - 1][s - 1]);
      if (can_skip(s)) a = LogAdd(a, alpha[t - 1][s - 2]);
      alpha[t][s] = a == kNegInf ? kNegInf : a + logp[t][label(s)];
    }
  const double log_likelihood =
      ext > 1 ? LogAdd(alpha[frames - 1][ext - 1], alpha[frames - 1][ext - 2]) : alpha[frames - 1][0];
  if (log_likelihood == kNegInf) return log_likelihood;

  Table beta(frames, ext, kNegInf);
  beta[frames - 1][ext - 1] = logp[frames - 1][kCtcBlank];
  if (ext > 1) beta[frames - 1][ext - 2] = logp[frames - 1][label(ext - 2)];
  for (int t = frames - 2; t >= 0; --t)
    for (int s = 0; s < ext; ++s) {
      double v = beta[t + 1][s];
      if (s + 1 < ext) v = LogAdd(v, beta[t + 1][s + 1]);
      if (s + 2 < ext && can_skip(s + 2)) v = LogAdd(v, beta[t + 1][s + 2]);
      beta[t][s] = v == kNegInf ? kNegInf : v + logp[t][label(s)];
    }

  // alpha and beta both include frame t's emission: occupancy of s at t is
  // exp(alpha + beta - logp[t][label(s)] - log_likelihood), each in [0, 1].
  std::vector<double> occupancy(num_classes);
  for (int t = 0; t < frames; ++t) {
    std::fill(occupancy.begin(), occupancy.end(), 0.0);
    for (int s = 0; s < ext; ++s) {
      const double log_occ = alpha[t][s] + beta[t][s] - logp[t][label(s)] - log_likelihood;
      if (log_occ > kNegInf) occupancy[label(s)] += std::exp(log_occ);
    }
    float* g = grad.Frame(t, b).data();
    for (int c = 0; c < num_classes; ++c)
      g[c] = static_cast<float>(weight * (std::exp(logp[t][c]) - occupancy[c]));
  }
  return log_likelihood;
}

}  // namespace

void CtcOptions::Validate() const { AURIS_CHECK_GE(mean_over, 0) << "CTC mean_over"; }

std::string CtcOptions::ToString() const {
  std::ostringstream os;
  os << "CtcOptions{reduction=" << (reduction == Reduction::kMean ? "mean" : "sum")
     << ", zero_infinity=" << (zero_infinity ? "true" : "false") << ", mean_over=" << mean_over << "}";
  return os.str();
}

CtcResult CtcLoss(const SeqBatch& logits, const std::vector<std::vector<int>>& targets,
                  const CtcOptions& options) {
  options.Validate();
  AURIS_CHECK_EQ(static_cast<int>(targets.size()), logits.batch) << "CTC: one target sequence per batch entry";
  AURIS_CHECK_EQ(static_cast<int>(logits.lengths.size()), logits.batch) << "CTC: lengths";
  AURIS_CHECK_GE(logits.Dim(), 2) << "CTC needs the blank and at least one label";
  for (int b = 0; b < logits.batch; ++b) {
    AURIS_CHECK(logits.lengths[b] >= 0 && logits.lengths[b] <= logits.steps)
        << "CTC: length " << logits.lengths[b] << " of sequence " << b << " outside [0, " << logits.steps << "]";
    for (int label : targets[b])
      AURIS_CHECK(label > kCtcBlank && label < logits.Dim())
          << "CTC: target label " << label << " of sequence " << b << " outside [1, " << logits.Dim() << ")";
  }
  const bool mean = options.reduction == CtcOptions::Reduction::kMean;
  const int batch_divisor = options.mean_over > 0 ? options.mean_over : logits.batch;

  CtcResult r;
  r.grad = SeqBatch::ZerosLike(logits, logits.Dim());
  r.sequence_losses.resize(logits.batch);
  for (int b = 0; b < logits.batch; ++b) {
    const double target_scale = mean ? 1.0 / std::max<std::size_t>(targets[b].size(), 1) : 1.0;
    const double weight = mean ? target_scale / batch_divisor : 1.0;
    const double nll = -Sequence(logits, b, targets[b], weight, r.grad);
    r.sequence_losses[b] = nll;
    if (std::isinf(nll) && options.zero_infinity) continue;
    r.loss += nll * weight;
  }
  return r;
}

}  // namespace auris::nn
