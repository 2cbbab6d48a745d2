// Sliding-window cepstral mean (and variance) normalisation, exactly as
// Kaldi's apply-cmvn-sliding (SlidingWindowCmn), computed in double.
//
// Window of frame t in an utterance of N frames, [start, end):
//   center=false: start = t - cmn_window, end = t + 1; if start < 0 the
//     window becomes [0, max(t + 1, min_cmn_window)). So the first frames
//     see the first min_cmn_window frames, and later windows hold
//     cmn_window + 1 frames (Kaldi's arithmetic, kept).
//   center=true: start = t - cmn_window/2, end = start + cmn_window, shifted
//     right to start at 0 if needed.
//   Then if end > N the window shifts left to end at N (start >= 0).
// Output: x - mean(window); with norm_vars also divided by the window's
// standard deviation (variance floored at 1e-10; a 1-frame window gives 0).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "auris/core/eigen.h"
#include "auris/dsp/frame_store.h"
#include "auris/dsp/online_frame_stage.h"

namespace auris::dsp {

struct SlidingCmnOptions {
  int cmn_window_frames = 600;      // --cmn-window
  int min_cmn_window_frames = 100;  // --min-cmn-window (only when center=false)
  bool center = false;              // --center
  bool norm_vars = false;           // --norm-vars

  void Validate() const;  // throws auris::Error naming the Kaldi option
  std::string ToString() const;
};

// Streaming sliding CMN. Frame t is emitted once the last frame of its window
// has arrived: with center=false it is causal after the first
// min_cmn_window frames; with center=true it lags cmn_window/2 frames.
// InputFinished() emits the rest. Output is identical to one call for any
// chunking (ApplySlidingCmn uses this class). Memory: O(window) input frames
// plus the emitted frames not yet popped. Output frames are read through
// OnlineFrameStage (Frame, GetFrames, Pop...).
class OnlineSlidingCmn : public OnlineFrameStage {
 public:
  OnlineSlidingCmn(const SlidingCmnOptions& opts, int dim);

  int Dim() const { return OutputDim(); }

  // One frame of Dim() floats. Throws after InputFinished().
  void AcceptFrame(const float* frame);
  // Every row, in order; throws unless frames.cols() == Dim().
  void AcceptFrames(const Matrix& frames);
  // Emits the remaining frames. Idempotent.
  void InputFinished();

 private:
  // [start, end) of frame t's window in an utterance of num_frames frames.
  void Window(std::int64_t t, std::int64_t num_frames, std::int64_t* start,
              std::int64_t* end) const;
  // Emits every frame whose window is complete.
  void EmitReady();
  void EmitFrame(std::int64_t start, std::int64_t end);
  void AddToSums(std::int64_t t, double sign);

  SlidingCmnOptions opts_;
  FrameStore input_;  // from the current window start on
  std::vector<double> sum_, sumsq_;
  std::int64_t window_start_ = 0, window_end_ = 0;  // frames in the sums
};

// Batch form on a whole utterance (T x dim).
Matrix ApplySlidingCmn(const Matrix& feats, const SlidingCmnOptions& opts);

}  // namespace auris::dsp
