// Cepstral mean and variance normalisation from statistics, as Kaldi's
// compute-cmvn-stats / apply-cmvn. Statistics use Kaldi's layout, a 2 x (D+1)
// double matrix:
//   row 0: sum of each dimension, then the total frame count (weight)
//   row 1: sum of squares of each dimension, then 0
// Per-utterance CMVN uses the utterance's own statistics; global CMVN uses
// statistics accumulated over a corpus (the io module reads them from a file).
#pragma once

#include <span>
#include <string>
#include <vector>

#include "auris/core/eigen.h"

namespace auris::dsp {

struct CmvnOptions {
  bool norm_means = true;   // --norm-means
  bool norm_vars = false;   // --norm-vars (requires --norm-means, as in Kaldi)

  void Validate() const;  // throws auris::Error naming the Kaldi option
  std::string ToString() const;
};

// Zero statistics for features of dimension dim (> 0).
MatrixD InitCmvnStats(int dim);
// Adds one frame with a weight (Kaldi: sums of x*w and x*x*w, the products
// formed in float as Kaldi does, accumulated in double).
void AccCmvnStats(std::span<const float> frame, float weight, MatrixD* stats);
// Adds every row of feats with weight 1.
void AccCmvnStats(const Matrix& feats, MatrixD* stats);
// InitCmvnStats + AccCmvnStats of a whole utterance.
MatrixD ComputeCmvnStats(const Matrix& feats);

// The per-dimension map Kaldi's ApplyCmvn derives from statistics:
// x -> (x - mean) * scale, scale = 1 or 1/stddev (variance floored at 1e-20),
// both in float. Kaldi evaluates it as x * scale + (-mean * scale); the
// factored form is equal up to float rounding and stays exact where the
// floor makes scale 1e10 (x == mean gives 0, not an FMA-dependent residue).
// Built once, applied per frame without allocation, so it also serves
// streaming.
class CmvnTransform {
 public:
  // Throws if stats is not 2 x (D+1), the count is < 1 (Kaldi's limit), or the
  // variance gives a NaN / infinite scale.
  CmvnTransform(const MatrixD& stats, const CmvnOptions& opts);

  int Dim() const { return static_cast<int>(mean_.size()); }
  // frame.size() must equal Dim() (checked only in Apply).
  void ApplyFrame(std::span<float> frame) const noexcept;
  void Apply(Matrix* feats) const;

 private:
  bool identity_;  // --norm-means=false: features pass through unchanged
  std::vector<float> mean_, scale_;
};

// Kaldi apply-cmvn: normalises feats in place with the given statistics.
void ApplyCmvn(const MatrixD& stats, const CmvnOptions& opts, Matrix* feats);
// Per-utterance CMVN: statistics of feats itself applied to feats.
Matrix ApplyUtteranceCmvn(const Matrix& feats, const CmvnOptions& opts);

}  // namespace auris::dsp
