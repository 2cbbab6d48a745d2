#include "auris/dsp/speech_trim.h"

#include <algorithm>
#include <cmath>
#include <sstream>
#include <vector>

#include "auris/core/error.h"

namespace auris::dsp {

void SpeechTrimOptions::Validate() const {
  if (!(above_floor_db >= 0)) throw MakeError("trim: above_floor_db ", above_floor_db, " must be >= 0");
  if (!(below_peak_db > 0)) throw MakeError("trim: below_peak_db ", below_peak_db, " must be > 0");
  if (!(margin_ms >= 0 && margin_ms <= 10000)) throw MakeError("trim: margin_ms ", margin_ms, " must be in 0..10000");
}

std::string SpeechTrimOptions::ToString() const {
  std::ostringstream s;
  s << "speech > max(floor + " << above_floor_db << " dB, peak - " << below_peak_db << " dB), margin "
    << margin_ms << " ms";
  return s.str();
}

SampleSpan FindSpeechSpan(const float* x, std::int64_t n, double rate, const SpeechTrimOptions& o) {
  const SampleSpan whole{0, n};
  const auto hop = static_cast<std::int64_t>(std::lround(rate * 0.01));
  const std::int64_t blocks = hop > 0 ? n / hop : 0;
  if (blocks == 0) return whole;
  std::vector<double> mean_square(static_cast<std::size_t>(blocks));
  for (std::int64_t b = 0; b < blocks; ++b) {
    double s = 0;
    for (std::int64_t i = b * hop; i < (b + 1) * hop; ++i) s += static_cast<double>(x[i]) * x[i];
    mean_square[static_cast<std::size_t>(b)] = s / static_cast<double>(hop);
  }
  std::vector<double> db(mean_square.size());
  for (std::size_t b = 0; b < db.size(); ++b) db[b] = 10 * std::log10(mean_square[b] + 1e-10);
  std::vector<double> sorted = db;
  const auto rank = static_cast<std::ptrdiff_t>((sorted.size() - 1) / 10);
  std::nth_element(sorted.begin(), sorted.begin() + rank, sorted.end());
  const double floor_db = sorted[static_cast<std::size_t>(rank)];
  const double peak_db = *std::max_element(db.begin(), db.end());
  const double threshold = std::max(floor_db + o.above_floor_db, peak_db - o.below_peak_db);

  std::int64_t first = -1, last = -1, first_live = -1, last_live = -1;
  for (std::int64_t b = 0; b < blocks; ++b) {
    if (db[static_cast<std::size_t>(b)] > threshold) {
      if (first < 0) first = b;
      last = b;
    }
    if (mean_square[static_cast<std::size_t>(b)] >= 1) {
      if (first_live < 0) first_live = b;
      last_live = b;
    }
  }
  if (first < 0 || first_live < 0) return whole;
  const auto margin = static_cast<std::int64_t>(std::lround(o.margin_ms / 1000 * rate));
  // The last live block reaches the input's end when no whole block follows it.
  const std::int64_t live_end = last_live == blocks - 1 ? n : (last_live + 1) * hop;
  const SampleSpan span{std::max(first_live * hop, first * hop - margin),
                        std::min(live_end, (last + 1) * hop + margin)};
  return span.begin < span.end ? span : whole;  // speech quieter than one LSB: leave it
}

}  // namespace auris::dsp
