#include "auris/dsp/sliding_cmn.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <sstream>

#include "auris/core/error.h"

namespace auris::dsp {

void SlidingCmnOptions::Validate() const {
  if (cmn_window_frames <= 0)
    throw MakeError("--cmn-window must be > 0 frames, got ", cmn_window_frames);
  if (min_cmn_window_frames < 0)
    throw MakeError("--min-cmn-window must be >= 0 frames, got ", min_cmn_window_frames);
}

std::string SlidingCmnOptions::ToString() const {
  std::ostringstream os;
  os << std::boolalpha << "--cmn-window=" << cmn_window_frames
     << " --min-cmn-window=" << min_cmn_window_frames << " --center=" << center
     << " --norm-vars=" << norm_vars;
  return os.str();
}

namespace {

int ValidatedDim(const SlidingCmnOptions& opts, int dim) {
  opts.Validate();
  if (dim <= 0) throw MakeError("OnlineSlidingCmn: dimension must be > 0, got ", dim);
  return dim;
}

}  // namespace

OnlineSlidingCmn::OnlineSlidingCmn(const SlidingCmnOptions& opts, int dim)
    : OnlineFrameStage("OnlineSlidingCmn", ValidatedDim(opts, dim)),
      opts_(opts),
      // Room for a default window; the ring grows if a longer one needs it.
      input_(dim),
      sum_(dim, 0.0),
      sumsq_(dim, 0.0) {}

void OnlineSlidingCmn::Window(std::int64_t t, std::int64_t num_frames, std::int64_t* start,
                              std::int64_t* end) const {
  const std::int64_t cmn = opts_.cmn_window_frames;
  std::int64_t s, e;
  if (opts_.center) {
    s = t - cmn / 2;
    e = s + cmn;
  } else {
    s = t - cmn;
    e = t + 1;
  }
  if (s < 0) {  // shift the window right to start at frame 0
    e -= s;
    s = 0;
  }
  if (!opts_.center && e > t) e = std::max<std::int64_t>(t + 1, opts_.min_cmn_window_frames);
  if (e > num_frames) {  // shift it left to end at the last frame
    s = std::max<std::int64_t>(s - (e - num_frames), 0);
    e = num_frames;
  }
  *start = s;
  *end = e;
}

void OnlineSlidingCmn::AcceptFrame(const float* frame) {
  CheckAccept(Dim(), Dim());
  input_.Push(frame);
  EmitReady();
}

void OnlineSlidingCmn::AcceptFrames(const Matrix& frames) {
  CheckAccept(frames.rows() == 0 ? Dim() : frames.cols(), Dim());
  for (Eigen::Index r = 0; r < frames.rows(); ++r) AcceptFrame(frames.row(r).data());
}

void OnlineSlidingCmn::InputFinished() {
  if (MarkFinished()) EmitReady();
}

void OnlineSlidingCmn::EmitReady() {
  // While the input is open the utterance length is unknown, so windows are
  // not clamped at the end; a frame is emitted only when its whole window has
  // arrived, where the clamp could not apply anyway.
  const std::int64_t num_frames =
      IsInputFinished() ? input_.NumFrames() : std::numeric_limits<std::int64_t>::max();
  while (NumFramesReady() < input_.NumFrames()) {
    std::int64_t start, end;
    Window(NumFramesReady(), num_frames, &start, &end);
    if (end > input_.NumFrames()) return;
    EmitFrame(start, end);
  }
}

void OnlineSlidingCmn::AddToSums(std::int64_t t, double sign) {
  const float* x = input_.Row(t);
  for (int d = 0; d < Dim(); ++d) {
    const double v = x[d];
    sum_[d] += sign * v;
    if (opts_.norm_vars) sumsq_[d] += sign * (v * v);
  }
}

void OnlineSlidingCmn::EmitFrame(std::int64_t start, std::int64_t end) {
  // Windows only move right; update the running sums as Kaldi does (drop the
  // frames that left, then add the frames that entered), in double.
  for (; window_start_ < start; ++window_start_) AddToSums(window_start_, -1.0);
  for (; window_end_ < end; ++window_end_) AddToSums(window_end_, 1.0);
  const float* x = input_.Row(NumFramesReady());
  float* out = PushOutput();
  const double n = static_cast<double>(end - start);
  const double neg_inv_n = -1.0 / n, inv_n = 1.0 / n, neg_inv_n2 = -1.0 / (n * n);
  for (int d = 0; d < Dim(); ++d) {
    double y = x[d] + neg_inv_n * sum_[d];
    if (opts_.norm_vars) {
      if (end - start == 1) {
        y = 0.0;
      } else {
        const double var = sumsq_[d] * inv_n + neg_inv_n2 * (sum_[d] * sum_[d]);
        y *= std::pow(std::max(var, 1.0e-10), -0.5);
      }
    }
    out[d] = static_cast<float>(y);
  }
  input_.PopBefore(start);
}

Matrix ApplySlidingCmn(const Matrix& feats, const SlidingCmnOptions& opts) {
  opts.Validate();
  if (feats.rows() == 0 || feats.cols() == 0) return Matrix(feats.rows(), feats.cols());
  OnlineSlidingCmn cmn(opts, static_cast<int>(feats.cols()));
  cmn.AcceptFrames(feats);
  cmn.InputFinished();
  return cmn.GetFrames(0, cmn.NumFramesReady());
}

}  // namespace auris::dsp
