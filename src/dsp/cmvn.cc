#include "auris/dsp/cmvn.h"

#include <cmath>
#include <limits>
#include <sstream>

#include "auris/core/error.h"

namespace auris::dsp {

void CmvnOptions::Validate() const {
  if (norm_vars && !norm_means)
    throw Error("--norm-vars=true requires --norm-means=true (cannot normalise the variance "
                "but not the mean)");
}

std::string CmvnOptions::ToString() const {
  std::ostringstream os;
  os << std::boolalpha << "--norm-means=" << norm_means << " --norm-vars=" << norm_vars;
  return os.str();
}

MatrixD InitCmvnStats(int dim) {
  if (dim <= 0) throw MakeError("CMVN statistics: dimension must be > 0, got ", dim);
  return MatrixD::Zero(2, dim + 1);
}

namespace {

void CheckStatsShape(const MatrixD& stats, Eigen::Index dim, const char* what) {
  if (stats.rows() != 2 || stats.cols() < 2 || (dim >= 0 && stats.cols() != dim + 1))
    throw MakeError(what, ": CMVN statistics are ", stats.rows(), "x", stats.cols(),
                    ", expected 2x", dim >= 0 ? std::to_string(dim + 1) : std::string("(dim+1)"),
                    " (Kaldi layout: sums and count; sums of squares)");
}

}  // namespace

void AccCmvnStats(std::span<const float> frame, float weight, MatrixD* stats) {
  CheckStatsShape(*stats, static_cast<Eigen::Index>(frame.size()), "AccCmvnStats");
  const std::size_t dim = frame.size();
  double* sums = stats->row(0).data();
  double* squares = stats->row(1).data();
  sums[dim] += weight;
  for (std::size_t d = 0; d < dim; ++d) {
    // Float products, double sums: what Kaldi's compute-cmvn-stats stores.
    sums[d] += frame[d] * weight;
    squares[d] += frame[d] * frame[d] * weight;
  }
}

void AccCmvnStats(const Matrix& feats, MatrixD* stats) {
  CheckStatsShape(*stats, feats.cols(), "AccCmvnStats");
  for (Eigen::Index r = 0; r < feats.rows(); ++r)
    AccCmvnStats({feats.row(r).data(), static_cast<std::size_t>(feats.cols())}, 1.0f, stats);
}

MatrixD ComputeCmvnStats(const Matrix& feats) {
  MatrixD stats = InitCmvnStats(static_cast<int>(feats.cols()));
  AccCmvnStats(feats, &stats);
  return stats;
}

CmvnTransform::CmvnTransform(const MatrixD& stats, const CmvnOptions& opts)
    : identity_(!opts.norm_means) {
  opts.Validate();
  CheckStatsShape(stats, -1, "CmvnTransform");
  const int dim = static_cast<int>(stats.cols()) - 1;
  mean_.assign(dim, 0.0f);
  scale_.assign(dim, 1.0f);
  if (identity_) return;
  const double count = stats(0, dim);
  // Kaldi's limit: a count below one cannot be a real frame count.
  if (!(count >= 1.0))
    throw MakeError("insufficient CMVN statistics: count = ", count, " (need >= 1)");
  for (int d = 0; d < dim; ++d) {
    const double mean = stats(0, d) / count;
    double scale = 1.0;
    if (opts.norm_vars) {
      const double var = std::max(stats(1, d) / count - mean * mean, 1.0e-20);
      scale = 1.0 / std::sqrt(var);
    }
    // Applied in float: a mean beyond float range would become infinite.
    if (!std::isfinite(mean) || !std::isfinite(scale) || std::abs(mean) > std::numeric_limits<float>::max())
      throw MakeError("NaN, infinity or a value beyond float range in CMVN statistics for dimension ", d,
                      " (mean ", mean, ", scale ", scale, ")");
    mean_[d] = static_cast<float>(mean);
    scale_[d] = static_cast<float>(scale);
  }
}

void CmvnTransform::ApplyFrame(std::span<float> frame) const noexcept {
  if (identity_) return;
  for (std::size_t d = 0; d < frame.size(); ++d) frame[d] = (frame[d] - mean_[d]) * scale_[d];
}

void CmvnTransform::Apply(Matrix* feats) const {
  if (feats->rows() > 0 && feats->cols() != Dim())
    throw MakeError("CMVN: features have dimension ", feats->cols(), ", statistics have ", Dim());
  for (Eigen::Index r = 0; r < feats->rows(); ++r)
    ApplyFrame({feats->row(r).data(), static_cast<std::size_t>(feats->cols())});
}

void ApplyCmvn(const MatrixD& stats, const CmvnOptions& opts, Matrix* feats) {
  CmvnTransform(stats, opts).Apply(feats);
}

Matrix ApplyUtteranceCmvn(const Matrix& feats, const CmvnOptions& opts) {
  opts.Validate();
  Matrix out = feats;
  if (feats.rows() == 0) return out;
  ApplyCmvn(ComputeCmvnStats(feats), opts, &out);
  return out;
}

}  // namespace auris::dsp
