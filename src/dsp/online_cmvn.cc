#include "auris/dsp/online_cmvn.h"

#include <algorithm>
#include <cmath>
#include <sstream>

#include "auris/core/error.h"

namespace auris::dsp {

void OnlineCmvnOptions::Validate() const {
  // The window's frames are kept: a bound keeps a hostile model file from
  // asking for gigabytes (100,000 frames: 17 minutes at 10 ms).
  if (cmn_window_frames <= 0 || cmn_window_frames > kMaxOnlineCmnWindow)
    throw MakeError("--cmn-window must be 1..", kMaxOnlineCmnWindow, " frames for online CMVN, got ", cmn_window_frames);
  if (global_frames < 0) throw MakeError("--global-frames must be >= 0 frames, got ", global_frames);
}

std::string OnlineCmvnOptions::ToString() const {
  std::ostringstream os;
  os << std::boolalpha << "--cmn-window=" << cmn_window_frames << " --global-frames=" << global_frames
     << " --norm-vars=" << norm_vars;
  return os.str();
}

OnlineCmvn::OnlineCmvn(const OnlineCmvnOptions& opts, const MatrixD& global_stats) : opts_(opts) {
  opts.Validate();
  if (global_stats.rows() != 2 || global_stats.cols() < 2)
    throw MakeError("online CMVN: global statistics are ", global_stats.rows(), "x", global_stats.cols(),
                    ", expected 2x(dim+1) (Kaldi layout: sums and count; sums of squares)");
  dim_ = static_cast<int>(global_stats.cols()) - 1;
  const double count = global_stats(0, dim_);
  if (!(count > 0) || !std::isfinite(count))
    throw MakeError("online CMVN: the global statistics' frame count is ", count, " (need > 0)");
  global_mean_.resize(dim_);
  global_sq_.resize(dim_);
  for (int d = 0; d < dim_; ++d) {
    global_mean_[d] = global_stats(0, d) / count;
    global_sq_[d] = global_stats(1, d) / count;
    if (!std::isfinite(global_mean_[d]) || !std::isfinite(global_sq_[d]))
      throw MakeError("online CMVN: NaN or infinity in the global statistics for dimension ", d);
  }
  history_.assign(static_cast<std::size_t>(opts.cmn_window_frames) * dim_, 0.0f);
  sum_.assign(dim_, 0.0);
  sumsq_.assign(dim_, 0.0);
}

void OnlineCmvn::Reset() noexcept {
  std::fill(sum_.begin(), sum_.end(), 0.0);
  std::fill(sumsq_.begin(), sumsq_.end(), 0.0);
  frames_ = 0;
}

void OnlineCmvn::ApplyFrame(std::span<float> frame) noexcept {
  const std::int64_t window = opts_.cmn_window_frames;
  float* slot = history_.data() + (frames_ % window) * dim_;
  if (frames_ >= window) {  // the frame leaving the window
    for (int d = 0; d < dim_; ++d) {
      const double old = slot[d];
      sum_[d] -= old;
      sumsq_[d] -= old * old;
    }
  }
  for (int d = 0; d < dim_; ++d) {
    const double x = frame[d];
    sum_[d] += x;
    sumsq_[d] += x * x;
    slot[d] = frame[d];
  }
  ++frames_;
  const double n = static_cast<double>(std::min(frames_, window));
  const double g = std::min<double>(static_cast<double>(window) - n, opts_.global_frames);
  const double count = n + g;
  for (int d = 0; d < dim_; ++d) {
    const double mean = (sum_[d] + g * global_mean_[d]) / count;
    double scale = 1.0;
    if (opts_.norm_vars) {
      // Kaldi's ApplyCmvn floor.
      const double var = std::max((sumsq_[d] + g * global_sq_[d]) / count - mean * mean, 1.0e-20);
      scale = 1.0 / std::sqrt(var);
    }
    frame[d] = static_cast<float>((frame[d] - mean) * scale);
  }
}

Matrix ApplyOnlineCmvn(const Matrix& feats, const OnlineCmvnOptions& opts, const MatrixD& global_stats) {
  OnlineCmvn cmvn(opts, global_stats);
  if (feats.rows() > 0 && feats.cols() != cmvn.Dim())
    throw MakeError("online CMVN: features have dimension ", feats.cols(), ", statistics have ", cmvn.Dim());
  Matrix out = feats;
  for (Eigen::Index r = 0; r < out.rows(); ++r)
    cmvn.ApplyFrame({out.row(r).data(), static_cast<std::size_t>(out.cols())});
  return out;
}

}  // namespace auris::dsp
