#include "auris/dsp/feature_window.h"

#include <algorithm>
#include <cfloat>
#include <cmath>

#include "auris/dsp/vector_math.h"

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

namespace {

// Sum in double: four vectors of partial sums (the adds' latency overlaps),
// then whole vectors; n = 400 (25 ms at 16 kHz) leaves no scalar remainder.
// Plain loops: GCC turns them into one converting load and one add per vector.
double Sum(const float* x, int n) noexcept {
  constexpr int kStep = kFloatLanes / 2;  // doubles per vector
  double acc[4 * kStep] = {};
  int i = 0;
  for (; i + 4 * kStep <= n; i += 4 * kStep)
    for (int j = 0; j < 4 * kStep; ++j) acc[j] += x[i + j];
  for (; i + kStep <= n; i += kStep)
    for (int j = 0; j < kStep; ++j) acc[j] += x[i + j];
  double sum = LaneSum<4 * kStep>(acc);
  for (; i < n; ++i) sum += x[i];
  return sum;
}

}  // namespace

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
  // Kaldi's order (DC removal, raw energy, pre-emphasis, window) fused into
  // one pass after the mean. Pre-emphasis is Kaldi's in-place backward loop
  // x[i] -= c x[i-1], x[0] -= c x[0], on the centred input, rewritten as
  // (x[i] - c x[i-1]) - (1 - c) mean: computed in float that way, every
  // rounding is relative to the pre-emphasised value (x - c p is one fused
  // multiply-subtract where the target has FMA), not to the raw sample,
  // which is large where speech has its low-frequency energy. Rounding the
  // centred sample instead adds white noise at the raw sample's scale, which
  // shows in near-empty bands (band-limited audio) in the log domain; this
  // order stays close to computing in double, at a fraction of the cost.
  // The mean is summed in double, the raw energy's squares in float lanes
  // (relative error ~1e-6).
  const double mean = opts_.remove_dc_offset ? Sum(frame, n) / n : 0.0;
  const float mean_f = static_cast<float>(mean);
  const float c = opts_.preemph_coeff;
  const float offset = static_cast<float>((1.0 - c) * mean);
  const float* w = window_.data();
  // Two energy accumulators: consecutive blocks do not wait for each
  // other's multiply-add.
  constexpr int kL = kFloatLanes;
  FloatVec energy[2] = {};
  auto block = [&](int i, const float* prev, FloatVec& acc) {
    const FloatVec x = LoadVec(frame + i);
    const FloatVec centred = x - mean_f;
    acc += centred * centred;
    StoreVec(out + i, (x - c * LoadVec(prev) - offset) * LoadVec(w + i));
  };
  int i = 0;
  if (n >= kL) {
    // The first block's "previous" samples, x[0] standing in for x[-1]: then
    // every block is whole (no scalar remainder for the usual n = 400).
    float first_prev[kL];
    first_prev[0] = frame[0];
    std::copy(frame, frame + kL - 1, first_prev + 1);
    block(0, first_prev, energy[0]);
    for (i = kL; i + 2 * kL <= n; i += 2 * kL) {
      block(i, frame + i - 1, energy[1]);
      block(i + kL, frame + i + kL - 1, energy[0]);
    }
    if (i + kL <= n) {
      block(i, frame + i - 1, energy[1]);
      i += kL;
    }
  }
  float energy_tail = 0.0f;
  for (; i < n; ++i) {
    const float centred = frame[i] - mean_f;
    energy_tail += centred * centred;
    out[i] = (frame[i] - c * frame[i > 0 ? i - 1 : 0] - offset) * w[i];
  }
  const double energy_total = VecLaneSum(energy[0] + energy[1]) + energy_tail;
  const float raw_log_energy = want_raw_log_energy ? LogFloored(energy_total) : 0.0f;
  std::fill(out + n, out + padded_size_, 0.0f);
  return raw_log_energy;
}

}  // namespace auris::dsp
