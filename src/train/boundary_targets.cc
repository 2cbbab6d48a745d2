#include "auris/train/boundary_targets.h"

#include <algorithm>
#include <cmath>

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
      const int near = std::clamp(static_cast<int>(std::lround((mid - first_centre) / shift_s)), 0, num_frames - 1);
      classes[near] = static_cast<int>(BoundaryClass::kOnset);
    }
  }
  return classes;
}

}  // namespace auris::train
