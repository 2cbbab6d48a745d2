#include "auris/pipeline/keyword_locator.h"

#include <algorithm>

#include "auris/core/error.h"

namespace auris::pipeline {

void KeywordLocatorOptions::Validate() const {
  if (!(rise_fraction >= 0 && rise_fraction < 1))
    throw MakeError("keyword locator: rise_fraction must be in [0, 1), got ", rise_fraction);
  if (max_gap_frames < 0) throw MakeError("keyword locator: max_gap_frames must be >= 0, got ", max_gap_frames);
}

FrameSpan LocateKeyword(std::span<const float> attention_scores, std::span<const float> energy_db,
                        const KeywordLocatorOptions& options, std::span<float> scratch) noexcept {
  const auto n = static_cast<std::int64_t>(energy_db.size());
  const std::span<const float> anchor_by = attention_scores.empty() ? energy_db : attention_scores;
  std::int64_t anchor = std::max_element(anchor_by.begin(), anchor_by.end()) - anchor_by.begin();

  std::copy(energy_db.begin(), energy_db.end(), scratch.begin());
  const auto tenth = scratch.begin() + n / 10;
  std::nth_element(scratch.begin(), tenth, scratch.begin() + n);
  const float floor = *tenth;
  const float peak = *std::max_element(energy_db.begin(), energy_db.end());
  const float loud = floor + static_cast<float>(options.rise_fraction) * (peak - floor);
  auto is_loud = [&](std::int64_t i) { return energy_db[static_cast<std::size_t>(i)] >= loud; };

  // An anchor on a quiet frame moves to the nearest loud one (there is one: the peak).
  for (std::int64_t d = 0; !is_loud(anchor); ++d) {
    if (anchor - d >= 0 && is_loud(anchor - d)) anchor -= d;
    else if (anchor + d < n && is_loud(anchor + d)) anchor += d;
  }
  FrameSpan s{anchor, anchor};
  for (std::int64_t i = anchor - 1; i >= 0 && s.first - i <= options.max_gap_frames + 1; --i)
    if (is_loud(i)) s.first = i;
  for (std::int64_t i = anchor + 1; i < n && i - s.last <= options.max_gap_frames + 1; ++i)
    if (is_loud(i)) s.last = i;
  return s;
}

}  // namespace auris::pipeline
