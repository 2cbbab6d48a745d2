// Causal CMVN for streams, as Kaldi's OnlineCmvn (apply-cmvn-online, the
// online2 decoders): frame t is normalised with the statistics of the
// cmn_window frames ending at t, so it never waits for later audio. While
// the window holds fewer than cmn_window frames, up to global_frames frames'
// worth of the global (training) statistics are added, scaled to that
// count: the start of a stream leans on the training mean and hands over to
// the speaker's own as frames arrive. With it a constant level offset (a
// louder microphone: log-mel energies shift by a constant) is removed within
// a few seconds, which global CMVN never does.
//
// Frame t, window W = frames [max(0, t - cmn_window + 1), t], n = |W|:
//   stats = sum over W (+ global_stats * g / global_count,
//           g = min(cmn_window - n, global_frames), when n < cmn_window)
//   output = Kaldi ApplyCmvn(stats, norm_vars)(x_t)
// Sums in double, as Kaldi. global_frames = 0 uses the window alone.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "auris/core/eigen.h"

namespace auris::dsp {

inline constexpr int kMaxOnlineCmnWindow = 100000;

struct OnlineCmvnOptions {
  int cmn_window_frames = 600;  // --cmn-window
  int global_frames = 200;      // --global-frames
  bool norm_vars = false;       // --norm-vars

  void Validate() const;  // throws auris::Error naming the option
  std::string ToString() const;
};

class OnlineCmvn {
 public:
  // global_stats: Kaldi layout, 2 x (dim + 1), count > 0. Throws on bad
  // options or statistics.
  OnlineCmvn(const OnlineCmvnOptions& opts, const MatrixD& global_stats);

  int Dim() const { return dim_; }
  // Normalises the next frame of the stream in place (frame.size() == Dim(),
  // unchecked); allocates nothing.
  void ApplyFrame(std::span<float> frame) noexcept;
  // Forgets the frames seen: the next frame starts a new stream.
  void Reset() noexcept;

 private:
  OnlineCmvnOptions opts_;
  int dim_;
  std::vector<double> global_mean_, global_sq_;  // global sums / count
  std::vector<float> history_;                    // ring of cmn_window frames
  std::vector<double> sum_, sumsq_;
  std::int64_t frames_ = 0;                       // frames seen since Reset
};

// Batch form on a whole utterance (T x dim); equal to ApplyFrame row by row.
Matrix ApplyOnlineCmvn(const Matrix& feats, const OnlineCmvnOptions& opts, const MatrixD& global_stats);

}  // namespace auris::dsp
