// Cross-entropy over logits with integer targets, mean reduction and optional
// label smoothing, exactly like torch.nn.functional.cross_entropy(...,
// label_smoothing=eps): loss_i = (1-eps) * (-log p_i[y_i]) + eps * mean_c(-log p_i[c]).
// Computed through a numerically stable log-softmax; returns the loss and
// dLoss/dLogits (softmax - smoothed one-hot, divided by the mean's count).
#pragma once

#include <string>
#include <vector>

#include "auris/core/eigen.h"
#include "auris/nn/seq_batch.h"

namespace auris::nn {

struct CrossEntropyOptions {
  float label_smoothing = 0.0f;  // in [0, 1]
  // Divisor of the mean; 0 = the number of targets of this call. A caller
  // that splits one batch across threads sets the whole batch's count so the
  // parts' losses and gradients add up to the whole batch's.
  int mean_over = 0;

  void Validate() const;
  std::string ToString() const;
};

struct CrossEntropyResult {
  double loss = 0;  // mean over the targets (or over mean_over)
  Matrix grad;      // dLoss/dLogits, same shape as the logits
};

// logits: N x C, one row per example; targets: N labels in [0, C).
CrossEntropyResult CrossEntropy(const Matrix& logits, const std::vector<int>& targets,
                                const CrossEntropyOptions& options = {});

struct SeqLossResult {
  double loss = 0;
  SeqBatch grad;  // dLoss/dLogits, same shape as the logits; zero on padding
};

// Pooled logits (one vector per sequence: steps == 1), one target per sequence.
SeqLossResult CrossEntropy(const SeqBatch& logits, const std::vector<int>& targets,
                           const CrossEntropyOptions& options = {});

// Per-frame classification: targets[b][t] for t < lengths[b]; the mean runs
// over all valid frames of the batch (torch: padding targets = ignore_index).
SeqLossResult FrameCrossEntropy(const SeqBatch& logits, const std::vector<std::vector<int>>& targets,
                                const CrossEntropyOptions& options = {});

}  // namespace auris::nn
