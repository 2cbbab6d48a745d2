// SeqBatch: a padded batch of sequences, time-major. Row t*batch + b of
// `data` holds frame t of sequence b, so one time step of the whole batch is
// the contiguous block data.middleRows(t*batch, batch) — what an LSTM step
// multiplies. Frames at t >= lengths[b] are padding; layers write zeros there.
// A pooled (one vector per sequence) result is a SeqBatch with steps == 1.
#pragma once

#include <vector>

#include "auris/core/eigen.h"

namespace auris::nn {

struct SeqBatch {
  Matrix data;               // (steps * batch) x dim
  int steps = 0;             // T (max length)
  int batch = 0;             // B
  std::vector<int> lengths;  // size B, each in [0, T]

  int Dim() const { return static_cast<int>(data.cols()); }
  auto Step(int t) { return data.middleRows(static_cast<Eigen::Index>(t) * batch, batch); }
  auto Step(int t) const { return data.middleRows(static_cast<Eigen::Index>(t) * batch, batch); }
  auto Frame(int t, int b) { return data.row(static_cast<Eigen::Index>(t) * batch + b); }
  auto Frame(int t, int b) const { return data.row(static_cast<Eigen::Index>(t) * batch + b); }

  // Sets the padding rows (t >= lengths[b]) to zero.
  void ZeroPadding();
  // Number of valid (non-padding) frames.
  int NumValidFrames() const;

  // Sequences [first, first + count) as their own batch, steps trimmed to
  // their longest length.
  SeqBatch Slice(int first, int count) const;

  // Same shape and lengths, zero data of width `dim`.
  static SeqBatch ZerosLike(const SeqBatch& like, int dim);
  // Packs sequences (each T_b x D) into a padded batch; unpacks back.
  static SeqBatch FromSequences(const std::vector<Matrix>& seqs);
  std::vector<Matrix> ToSequences() const;
};

}  // namespace auris::nn
