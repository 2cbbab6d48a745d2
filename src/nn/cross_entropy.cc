#include "auris/nn/cross_entropy.h"

#include <cmath>
#include <sstream>

#include "auris/core/check.h"

namespace auris::nn {
namespace {

// Loss of one row (un-normalised) and its gradient row scaled by `scale`.
double RowLoss(const float* logits, int num_classes, int target, float smoothing, double scale,
               float* grad) {
  AURIS_CHECK(target >= 0 && target < num_classes)
      << "cross-entropy target " << target << " outside [0, " << num_classes << ")";
  double max = logits[0];
  for (int c = 1; c < num_classes; ++c) max = std::max(max, static_cast<double>(logits[c]));
  double sum = 0;
  for (int c = 0; c < num_classes; ++c) sum += std::exp(logits[c] - max);
  const double log_z = max + std::log(sum);
  double sum_neg_logp = 0;
  for (int c = 0; c < num_classes; ++c) sum_neg_logp += log_z - logits[c];
  const double nll = log_z - logits[target];
  const double loss = (1.0 - smoothing) * nll + smoothing * sum_neg_logp / num_classes;
  const double uniform = static_cast<double>(smoothing) / num_classes;
  for (int c = 0; c < num_classes; ++c) {
    const double p = std::exp(logits[c] - log_z);
    const double q = uniform + (c == target ? 1.0 - smoothing : 0.0);
    grad[c] = static_cast<float>((p - q) * scale);
  }
  return loss;
}

double MeanScale(const CrossEntropyOptions& options, long count) {
  const long n = options.mean_over > 0 ? options.mean_over : count;
  return n > 0 ? 1.0 / static_cast<double>(n) : 0.0;
}

}  // namespace

void CrossEntropyOptions::Validate() const {
  AURIS_CHECK(label_smoothing >= 0.0f && label_smoothing <= 1.0f)
      << "label_smoothing must be in [0, 1], got " << label_smoothing;
  AURIS_CHECK_GE(mean_over, 0) << "mean_over";
}

std::string CrossEntropyOptions::ToString() const {
  std::ostringstream os;
  os << "CrossEntropyOptions{label_smoothing=" << label_smoothing << ", mean_over=" << mean_over << "}";
  return os.str();
}

CrossEntropyResult CrossEntropy(const Matrix& logits, const std::vector<int>& targets,
                                const CrossEntropyOptions& options) {
  options.Validate();
  AURIS_CHECK_EQ(static_cast<Eigen::Index>(targets.size()), logits.rows())
      << "cross-entropy: one target per logits row";
  AURIS_CHECK_GT(logits.cols(), 0) << "cross-entropy: no classes";
  const double scale = MeanScale(options, logits.rows());
  CrossEntropyResult r;
  r.grad.resize(logits.rows(), logits.cols());
  double total = 0;
  for (Eigen::Index i = 0; i < logits.rows(); ++i)
    total += RowLoss(logits.row(i).data(), static_cast<int>(logits.cols()), targets[i],
                     options.label_smoothing, scale, r.grad.row(i).data());
  r.loss = total * scale;
  return r;
}

SeqLossResult CrossEntropy(const SeqBatch& logits, const std::vector<int>& targets,
                           const CrossEntropyOptions& options) {
  AURIS_CHECK_EQ(logits.steps, 1) << "cross-entropy over a SeqBatch needs pooled logits (steps == 1)";
  auto r = CrossEntropy(logits.data, targets, options);
  SeqLossResult out;
  out.loss = r.loss;
  out.grad = SeqBatch::ZerosLike(logits, logits.Dim());
  out.grad.data = std::move(r.grad);
  return out;
}

SeqLossResult FrameCrossEntropy(const SeqBatch& logits, const std::vector<std::vector<int>>& targets,
                                const CrossEntropyOptions& options) {
  options.Validate();
  AURIS_CHECK_EQ(static_cast<int>(targets.size()), logits.batch) << "frame cross-entropy: one target sequence per batch entry";
  AURIS_CHECK_GT(logits.Dim(), 0) << "cross-entropy: no classes";
  long count = 0;
  for (int b = 0; b < logits.batch; ++b) {
    AURIS_CHECK_GE(static_cast<int>(targets[b].size()), logits.lengths[b])
        << "frame cross-entropy: sequence " << b << " has fewer targets than frames";
    count += logits.lengths[b];
  }
  const double scale = MeanScale(options, count);
  SeqLossResult out;
  out.grad = SeqBatch::ZerosLike(logits, logits.Dim());
  double total = 0;
  for (int b = 0; b < logits.batch; ++b)
    for (int t = 0; t < logits.lengths[b]; ++t)
      total += RowLoss(logits.Frame(t, b).data(), logits.Dim(), targets[b][t], options.label_smoothing,
                       scale, out.grad.Frame(t, b).data());
  out.loss = total * scale;
  return out;
}

}  // namespace auris::nn
