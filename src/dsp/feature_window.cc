#include "auris/dsp/feature_window.h"

#include <algorithm>
#include <cfloat>
#include <cmath>

#include "auris/dsp/vector_math.h"
#include "dsp/isa/kernels.h"

namespace auris::dsp {

std::int64_t FirstSampleOfFrame(std::int64_t frame, const FrameOptions& opts) {
  const std::int64_t shift = opts.WindowShift();
  if (opts.snip_edges) return frame * shift;
  // Frames centred on frame * shift + shift / 2 (integer halves, as Kaldi).
  const std::int64_t midpoint = frame * shift + shift / 2;
  return midpoint - opts.WindowSize() / 2;
}

double FrameCentreSeconds(std::int64_t frame, const FrameOptions& opts) {
  return (static_cast<double>(FirstSampleOfFrame(frame, opts)) + opts.WindowSize() / 2.0) / opts.sample_frequency_hz;
}

std::int64_t NumFrames(std::int64_t num_samples, const FrameOptions& opts, bool flush) {
  const std::int64_t shift = opts.WindowShift();
  const std::int64_t length = opts.WindowSize();
  if (opts.snip_edges) {
    if (num_samples < length) return 0;
    return 1 + (num_samples - length) / shift;
  }
  std::int64_t num_frames = (num_samples + shift / 2) / shift;
  if (flush) return num_frames;
  // Online: only frames whose last sample has arrived.
  std::int64_t end_of_last = FirstSampleOfFrame(num_frames - 1, opts) + length;
  while (num_frames > 0 && end_of_last > num_samples) {
    --num_frames;
    end_of_last -= shift;
  }
  return num_frames;
}

std::vector<double> MakeWindow(const FrameOptions& opts) {
  const int n = opts.WindowSize();
  std::vector<double> window(n);
  // As Kaldi (in double): a = 2*pi / (N - 1); periodic windows use N.
  const double a = 2.0 * M_PI / (opts.periodic_window ? n : n - 1);
  for (int i = 0; i < n; ++i) {
    const double x = i;
    double w = 1.0;
    if (opts.window_type == "hanning") {
      w = 0.5 - 0.5 * std::cos(a * x);
    } else if (opts.window_type == "hamming") {
      w = 0.54 - 0.46 * std::cos(a * x);
    } else if (opts.window_type == "povey") {
      w = std::pow(0.5 - 0.5 * std::cos(a * x), 0.85);
    } else if (opts.window_type == "blackman") {
      const double b = opts.blackman_coeff;
      w = b - 0.5 * std::cos(a * x) + (0.5 - b) * std::cos(2.0 * a * x);
    }
    window[i] = w;
  }
  return window;
}

float LogFloored(double x) noexcept {
  // VectorLog (no libm call): a few float ulps, as the mel energies' logs.
  return VectorLog(static_cast<float>(std::max(x, static_cast<double>(FLT_EPSILON))));
}

namespace {

// Reductions use kLanes independent partial sums so the compiler can keep
// them in vector registers without -ffast-math reassociation; two AVX-512
// registers of doubles hide the add latency.
constexpr int kLanes = 16;

}  // namespace

double SumSquares(const float* x, int n) noexcept {
  double acc[kLanes] = {};
  int i = 0;
  for (; i + kLanes <= n; i += kLanes)
    for (int j = 0; j < kLanes; ++j) acc[j] += static_cast<double>(x[i + j]) * x[i + j];
  for (; i < n; ++i) acc[0] += static_cast<double>(x[i]) * x[i];
  return LaneSum<kLanes>(acc);
}

WindowProcessor::WindowProcessor(const FrameOptions& opts)
    : opts_(opts),
      padded_size_(opts.PaddedWindowSize()),
      window_([&] {
        const std::vector<double> window = MakeWindow(opts);  // rounded once
        return std::vector<float>(window.begin(), window.end());
      }()),
      dithered_(opts.dither != 0.0f ? window_.size() : 0),
      rng_(opts.dither_seed) {}

float WindowProcessor::Process(const float* frame, bool want_raw_log_energy,
                               float* out) noexcept {
  const int n = static_cast<int>(window_.size());
  if (opts_.dither != 0.0f) {
    float* dithered = dithered_.data();
    for (int i = 0; i < n; ++i)
      dithered[i] = frame[i] + static_cast<float>(rng_.Gaussian()) * opts_.dither;
    frame = dithered;
  }
  // The fused DC removal, energy, pre-emphasis and window: isa/kernels.cc.
  const double energy_total =
      isa::Active().window_frame(frame, n, opts_.remove_dc_offset, opts_.preemph_coeff, window_.data(), out);
  const float raw_log_energy = want_raw_log_energy ? LogFloored(energy_total) : 0.0f;
  std::fill(out + n, out + padded_size_, 0.0f);
  return raw_log_energy;
}

}  // namespace auris::dsp
