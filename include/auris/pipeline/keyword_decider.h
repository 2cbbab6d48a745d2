// Keyword decisions from a classifier's per-frame label scores: moving-average
// smoothing, per-label thresholds, re-arming and a refractory period.
//
// Per frame, for every keyword label (labels starting with "_", e.g.
// "_background_", are non-keyword classes and never fire):
//   smoothed = mean of the last smooth_ms of scores (fewer at the start);
//   when an armed label's smoothed score reaches its threshold, the event is
//   emitted at once, scored by that smoothed value. With peak_wait_ms > 0 the
//   decider instead follows the score to its peak: the event is emitted at
//   the first frame where it falls (or peak_wait_ms after the crossing,
//   whichever is first) with the peak as its score, so that scores rank
//   events, at the cost of up to peak_wait_ms of latency. Which events fire
//   at a given threshold hardly depends on the wait (only the refractory
//   period starts later). Emitting disarms the label; it re-arms at a frame
//   where its smoothed score is below the threshold and the refractory
//   period (from the event) is over. So one word gives one event however
//   long its score stays high, and a dip within the refractory period does
//   not fire the same word twice.
// The refractory period is per label, not global: two different keywords in
// quick succession (digit strings) both fire, and one word is never reported
// as two labels for long because each label still needs its own threshold.
#pragma once

#include <cstdint>
#include <map>
#include <span>
#include <string>
#include <vector>

namespace auris::pipeline {

struct KeywordDecisionOptions {
  double smooth_ms = 100;                        // --smooth-ms: moving average of the scores
  double threshold = 0.8;                        // --threshold: default per label
  std::map<std::string, double> label_thresholds;  // --threshold-for LABEL=P
  double refractory_ms = 800;                    // --refractory-ms: per label, after an event
  double peak_wait_ms = 0;                       // --peak-wait-ms: longest wait for the peak

  void Validate() const;  // throws auris::Error naming the option
  std::string ToString() const;
};

class KeywordDecider {
 public:
  // Throws auris::Error on bad options, a threshold for an unknown label or
  // for a non-keyword "_" label.
  KeywordDecider(const std::vector<std::string>& labels, const KeywordDecisionOptions& options,
                 double frame_shift_s);

  // One frame's scores (one per label, e.g. posteriors); returns the labels
  // that fire at this frame (valid until the next call). Allocation-free.
  std::span<const int> Accept(const float* scores) noexcept;
  // The score of label's last event (its smoothed peak).
  float EventScore(int label) const { return peak_[static_cast<std::size_t>(label)]; }

  // Smoothed scores after the last Accept.
  const std::vector<float>& Smoothed() const { return smoothed_; }
  float Threshold(int label) const { return thresholds_[static_cast<std::size_t>(label)]; }
  bool IsKeyword(int label) const { return keyword_[static_cast<std::size_t>(label)] != 0; }
  std::int64_t Frames() const { return frames_; }
  int SmoothFrames() const { return smooth_frames_; }

 private:
  void Fire(std::size_t label, std::int64_t frame) noexcept;

  int labels_;
  int smooth_frames_;
  std::int64_t refractory_frames_, peak_wait_frames_;
  enum class State : char { kArmed, kRising, kDisarmed };
  std::vector<float> thresholds_;
  std::vector<char> keyword_;
  std::vector<State> state_;
  std::vector<float> peak_;
  std::vector<std::int64_t> crossed_, last_fire_;
  std::vector<float> history_;  // smooth_frames x labels ring of raw scores
  std::vector<float> smoothed_;
  std::vector<int> fired_;
  std::int64_t frames_ = 0;
};

}  // namespace auris::pipeline
