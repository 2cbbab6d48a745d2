// Connectionist temporal classification loss (Graves et al. 2006), like
// torch.nn.functional.ctc_loss applied to log_softmax(logits): blank = 0,
// log-space forward-backward over the label sequence extended with blanks,
// repeated labels need a blank between them. Returns the loss and
// dLoss/dLogits = weight * (softmax - posterior occupancy per class).
//
// Impossible alignments (the target needs more frames than the input has,
// counting the blanks between repeats) have loss +inf and a ZERO gradient
// (torch gives NaN there); with zero_infinity their loss counts as 0, as in
// torch. No shared mutable state: calls may run concurrently (a caller
// splitting a batch across threads sets mean_over to the whole batch size).
#pragma once

#include <string>
#include <vector>

#include "auris/nn/seq_batch.h"

namespace auris::nn {

inline constexpr int kCtcBlank = 0;

struct CtcOptions {
  enum class Reduction {
    kMean,  // torch's "mean": each loss / max(target length, 1), then mean over the batch
    kSum,   // sum of the sequence losses
  };
  Reduction reduction = Reduction::kMean;
  bool zero_infinity = false;
  // kMean's batch divisor; 0 = this call's batch size.
  int mean_over = 0;

  void Validate() const;
  std::string ToString() const;
};

struct CtcResult {
  double loss = 0;                      // reduced; +inf if any impossible and !zero_infinity
  std::vector<double> sequence_losses;  // -log p(target | input) per sequence, unreduced (+inf if impossible)
  SeqBatch grad;                        // dLoss/dLogits; zero on padding and for impossible sequences
};

// logits: T x B x C raw scores (log-softmax is applied inside), lengths per
// sequence. targets[b]: labels in [1, C).
CtcResult CtcLoss(const SeqBatch& logits, const std::vector<std::vector<int>>& targets,
                  const CtcOptions& options = {});

}  // namespace auris::nn
