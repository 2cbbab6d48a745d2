// Where the keyword is inside the window of the classifier stream that
// detected it. The stream's attention pooling puts most weight on the frames
// that decided the class (the anchor: the frame with the highest attention
// score); the word is the run of loud frames around the anchor: frames whose
// energy is at least floor + rise_fraction * (peak - floor) dB (floor: the
// window's 10th-percentile energy, peak: its maximum), bridging quieter gaps
// of up to max_gap_frames (stop closures inside a word).
#pragma once

#include <cstdint>
#include <span>

namespace auris::pipeline {

struct KeywordLocatorOptions {
  double rise_fraction = 0.25;  // of the floor-to-peak range in dB
  int max_gap_frames = 8;       // quieter frames bridged inside a word

  void Validate() const;  // throws auris::Error naming the field
};

struct FrameSpan {
  std::int64_t first = 0, last = 0;  // inclusive, indices into the window
};

// attention_scores and energy_db: one value per frame of the window, oldest
// first, same length (> 0). Without attention (empty attention_scores) the
// anchor is the loudest frame. `scratch` holds at least energy_db.size()
// floats (the percentile is taken on a copy). Allocation-free.
FrameSpan LocateKeyword(std::span<const float> attention_scores, std::span<const float> energy_db,
                        const KeywordLocatorOptions& options, std::span<float> scratch) noexcept;

}  // namespace auris::pipeline
