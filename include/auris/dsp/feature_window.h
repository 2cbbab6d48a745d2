// Frame arithmetic and per-frame signal conditioning, exactly as Kaldi's
// feature-window.{h,cc}: the one place that knows where frames start.
#pragma once

#include <cstdint>
#include <vector>

#include "auris/core/rng.h"
#include "auris/dsp/frame_options.h"

namespace auris::dsp {

// Index of the first sample of frame `frame` (negative with snip_edges=false).
std::int64_t FirstSampleOfFrame(std::int64_t frame, const FrameOptions& opts);
// Centre of frame `frame` in seconds from the first sample (word times).
double FrameCentreSeconds(std::int64_t frame, const FrameOptions& opts);

// Frames computable from `num_samples` samples. flush=false: only frames whose
// samples have all arrived (online, more input may follow); flush=true: the
// final count once the input has ended (matters only with snip_edges=false).
std::int64_t NumFrames(std::int64_t num_samples, const FrameOptions& opts, bool flush = true);

// Window coefficients of length WindowSize() (Kaldi's FeatureWindowFunction).
std::vector<double> MakeWindow(const FrameOptions& opts);

// Turns raw frame samples into the FFT input: dither, DC removal, raw log
// energy, pre-emphasis, window, zero padding — Kaldi's ProcessWindow order.
class WindowProcessor {
 public:
  explicit WindowProcessor(const FrameOptions& opts);

  // `frame` holds WindowSize() samples. Writes PaddedWindowSize() floats to
  // `out`. Returns the raw log energy (after dither and DC removal, before
  // pre-emphasis) if want_raw_log_energy, else 0.
  float Process(const float* frame, bool want_raw_log_energy, float* out) noexcept;

 private:
  FrameOptions opts_;
  int padded_size_;
  std::vector<float> window_;
  std::vector<float> dithered_;  // the frame plus dither (dither > 0 only)
  Rng rng_;
};

// log(max(x, FLT_EPSILON)), Kaldi's guard against log(0), with x rounded to
// float first (as Kaldi's float energies: beyond FLT_MAX it is inf).
float LogFloored(double x) noexcept;
// Sum of squares, accumulated in double.
double SumSquares(const float* x, int n) noexcept;

}  // namespace auris::dsp
