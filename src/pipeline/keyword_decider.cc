#include "auris/pipeline/keyword_decider.h"

#include <algorithm>
#include <cmath>
#include <sstream>

#include "auris/core/error.h"

namespace auris::pipeline {

void KeywordDecisionOptions::Validate() const {
  if (!(smooth_ms >= 0)) throw MakeError("--smooth-ms must be >= 0, got ", smooth_ms);
  if (!(threshold > 0 && threshold <= 1)) throw MakeError("--threshold must be in (0, 1], got ", threshold);
  for (const auto& [label, p] : label_thresholds)
    if (!(p > 0 && p <= 1)) throw MakeError("--threshold-for ", label, "=", p, ": must be in (0, 1]");
  if (!(refractory_ms >= 0)) throw MakeError("--refractory-ms must be >= 0, got ", refractory_ms);
  if (!(peak_wait_ms >= 0)) throw MakeError("--peak-wait-ms must be >= 0, got ", peak_wait_ms);
}

std::string KeywordDecisionOptions::ToString() const {
  std::ostringstream s;
  s << "--smooth-ms=" << smooth_ms << " --threshold=" << threshold << " --refractory-ms=" << refractory_ms
    << " --peak-wait-ms=" << peak_wait_ms;
  for (const auto& [label, p] : label_thresholds) s << " --threshold-for=" << label << "=" << p;
  return s.str();
}

KeywordDecider::KeywordDecider(const std::vector<std::string>& labels, const KeywordDecisionOptions& options,
                               double frame_shift_s)
    : labels_(static_cast<int>(labels.size())),
      smooth_frames_(std::max(1, static_cast<int>(std::lround(options.smooth_ms / 1000 / frame_shift_s)))),
      refractory_frames_(std::llround(options.refractory_ms / 1000 / frame_shift_s)),
      peak_wait_frames_(std::llround(options.peak_wait_ms / 1000 / frame_shift_s)),
      thresholds_(labels.size(), static_cast<float>(options.threshold)),
      keyword_(labels.size()),
      state_(labels.size(), State::kArmed),
      peak_(labels.size(), 0.0f),
      crossed_(labels.size(), -1),
      last_fire_(labels.size(), -1),
      history_(static_cast<std::size_t>(smooth_frames_) * labels.size(), 0.0f),
      smoothed_(labels.size(), 0.0f) {
  options.Validate();
  if (!(frame_shift_s > 0)) throw MakeError("keyword decisions: frame shift must be > 0, got ", frame_shift_s);
  for (std::size_t k = 0; k < labels.size(); ++k) keyword_[k] = !labels[k].starts_with("_");
  for (const auto& [label, p] : options.label_thresholds) {
    const auto it = std::find(labels.begin(), labels.end(), label);
    if (it == labels.end()) throw MakeError("--threshold-for ", label, ": the model has no label \"", label, "\"");
    if (label.starts_with("_"))
      throw MakeError("--threshold-for ", label, ": labels starting with \"_\" are not keywords and never fire");
    thresholds_[static_cast<std::size_t>(it - labels.begin())] = static_cast<float>(p);
  }
  fired_.reserve(labels.size());
}

std::span<const int> KeywordDecider::Accept(const float* scores) noexcept {
  const std::size_t L = static_cast<std::size_t>(labels_);
  std::copy(scores, scores + L, history_.begin() + static_cast<std::ptrdiff_t>((frames_ % smooth_frames_) * L));
  ++frames_;
  const std::int64_t n = std::min<std::int64_t>(frames_, smooth_frames_);
  // Summed afresh each frame (smooth_frames x labels adds): no drift.
  std::fill(smoothed_.begin(), smoothed_.end(), 0.0f);
  for (std::int64_t i = 0; i < n; ++i)
    for (std::size_t k = 0; k < L; ++k) smoothed_[k] += history_[static_cast<std::size_t>(i) * L + k];
  for (float& s : smoothed_) s /= static_cast<float>(n);

  fired_.clear();
  const std::int64_t t = frames_ - 1;
  for (std::size_t k = 0; k < L; ++k) {
    if (!keyword_[k]) continue;
    const float v = smoothed_[k];
    if (state_[k] == State::kRising) {
      if (v > peak_[k]) peak_[k] = v;
      if (v < peak_[k] || t - crossed_[k] >= peak_wait_frames_) Fire(k, t);
    } else if (v < thresholds_[k]) {
      if (last_fire_[k] < 0 || t - last_fire_[k] >= refractory_frames_) state_[k] = State::kArmed;
    } else if (state_[k] == State::kArmed) {
      state_[k] = State::kRising;
      peak_[k] = v;
      crossed_[k] = t;
      if (peak_wait_frames_ == 0) Fire(k, t);
    }
  }
  return fired_;
}

void KeywordDecider::Fire(std::size_t label, std::int64_t frame) noexcept {
  state_[label] = State::kDisarmed;
  last_fire_[label] = frame;
  fired_.push_back(static_cast<int>(label));
}

}  // namespace auris::pipeline
