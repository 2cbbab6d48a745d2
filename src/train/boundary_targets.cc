#include "auris/train/boundary_targets.h"

#include <algorithm>
#include <cmath>

#include "auris/core/error.h"
#include "auris/decode/word_segmentation.h"
#include "auris/dsp/feature_window.h"

namespace auris::train {

std::vector<int> BoundaryTargets(std::span<const WordSpan> words, int num_frames, const dsp::FrameOptions& frame,
                                 double onset_ms) {
  using decode::BoundaryClass;
  using dsp::FrameCentreSeconds;
  std::vector<int> classes(static_cast<std::size_t>(std::max(0, num_frames)), static_cast<int>(BoundaryClass::kOutside));
  if (num_frames <= 0) return classes;
  const double shift_s = frame.WindowShift() / static_cast<double>(frame.sample_frequency_hz);
  const double first_centre = FrameCentreSeconds(0, frame);
  for (const WordSpan& w : words) {
    // Frames whose centre is in [start, end): t >= (start - c0) / shift.
    const int first = std::max(0, static_cast<int>(std::ceil((w.start_s - first_centre) / shift_s - 1e-9)));
    const double onset_end = std::min(w.end_s, w.start_s + onset_ms / 1000);
    int t = first;
    for (; t < num_frames && FrameCentreSeconds(t, frame) < onset_end; ++t)
      classes[t] = static_cast<int>(BoundaryClass::kOnset);
    const bool had_onset = t > first;
    for (; t < num_frames && FrameCentreSeconds(t, frame) < w.end_s; ++t)
      classes[t] = static_cast<int>(BoundaryClass::kInside);
    if (!had_onset) {  // no centre in the word: mark the frame nearest its middle
      const double mid = (w.start_s + w.end_s) / 2;
      const long near = std::lround((mid - first_centre) / shift_s);
      if (near >= 0 && near < num_frames) classes[near] = static_cast<int>(BoundaryClass::kOnset);
    }
  }
  return classes;
}

double BoundaryCrossEntropy(const nn::SeqBatch& out, const std::vector<std::vector<int>>& frame_classes, double weight,
                    nn::SeqBatch& grad_out) {
  constexpr int K = decode::kNumBoundaryClasses;
  const int first = out.Dim() - K;
  double loss = 0;
  for (int b = 0; b < out.batch; ++b) {
    if (frame_classes[b].empty()) continue;
    if (static_cast<int>(frame_classes[b].size()) != out.lengths[b])
      throw MakeError("boundary targets: ", frame_classes[b].size(), " frames for ", out.lengths[b], " outputs");
    for (int t = 0; t < out.lengths[b]; ++t) {
      const auto z = out.Frame(t, b).segment<K>(first);
      const float m = z.maxCoeff();
      const Eigen::Array<float, 1, K> e = (z.array() - m).exp();
      const float sum = e.sum();
      const int y = frame_classes[b][t];
      loss -= static_cast<double>(z(y) - m - std::log(sum));
      auto g = grad_out.Frame(t, b).segment<K>(first);
      g = (e / sum * static_cast<float>(weight)).matrix();
      g(y) -= static_cast<float>(weight);
    }
  }
  return weight * loss;
}

}  // namespace auris::train
