#include "auris/nn/seq_batch.h"

#include <algorithm>

#include "auris/core/check.h"

namespace auris::nn {

SeqBatch SeqBatch::ZerosLike(const SeqBatch& like, int dim) {
  SeqBatch s;
  s.steps = like.steps;
  s.batch = like.batch;
  s.lengths = like.lengths;
  s.data = Matrix::Zero(static_cast<Eigen::Index>(like.steps) * like.batch, dim);
  return s;
}

SeqBatch SeqBatch::FromSequences(const std::vector<Matrix>& seqs) {
  AURIS_CHECK(!seqs.empty()) << "empty batch";
  SeqBatch s;
  s.batch = static_cast<int>(seqs.size());
  const auto dim = seqs[0].cols();
  for (const auto& m : seqs) {
    AURIS_CHECK_EQ(m.cols(), dim) << "sequences in a batch must have the same dimension";
    s.lengths.push_back(static_cast<int>(m.rows()));
    s.steps = std::max(s.steps, static_cast<int>(m.rows()));
  }
  s.data = Matrix::Zero(static_cast<Eigen::Index>(s.steps) * s.batch, dim);
  for (int b = 0; b < s.batch; ++b)
    for (int t = 0; t < s.lengths[b]; ++t) s.Frame(t, b) = seqs[b].row(t);
  return s;
}

void SeqBatch::ZeroPadding() {
  for (int b = 0; b < batch; ++b)
    for (int t = lengths[b]; t < steps; ++t) Frame(t, b).setZero();
}

int SeqBatch::NumValidFrames() const {
  int n = 0;
  for (int len : lengths) n += len;
  return n;
}

SeqBatch SeqBatch::Slice(int first, int count) const {
  AURIS_CHECK(first >= 0 && count >= 0 && first + count <= batch)
      << "slice [" << first << ", " << first + count << ") of a batch of " << batch;
  SeqBatch s;
  s.batch = count;
  s.lengths.assign(lengths.begin() + first, lengths.begin() + first + count);
  for (int len : s.lengths) s.steps = std::max(s.steps, len);
  s.data.resize(static_cast<Eigen::Index>(s.steps) * count, Dim());
  for (int t = 0; t < s.steps; ++t) s.Step(t) = Step(t).middleRows(first, count);
  return s;
}

std::vector<Matrix> SeqBatch::ToSequences() const {
  std::vector<Matrix> out(batch);
  for (int b = 0; b < batch; ++b) {
    out[b].resize(lengths[b], Dim());
    for (int t = 0; t < lengths[b]; ++t) out[b].row(t) = Frame(t, b);
  }
  return out;
}

}  // namespace auris::nn
