// A keyword test stream for the digit spotter: held-out FSDD recordings
// (takes 0-4, never in the spotter's training) among white-noise gaps around
// -50 dBFS, with the spoken word's true start and end in seconds, and the
// scoring of detected events against it. Needs FSDD.
#pragma once

#include <algorithm>
#include <cmath>
#include <string>
#include <tuple>
#include <vector>

#include "auris/audio/load.h"
#include "auris/core/rng.h"
#include "auris/pipeline/feature_config.h"
#include "test_support.h"

namespace auris::test {

struct TruthWord {
  std::string label;
  double start_s = 0, end_s = 0;
};

// First and last 10 ms block of `x` whose RMS is above 5% (-26 dB) of the
// loudest block's: the spoken word inside a recording's margins.
inline std::pair<double, double> WordExtent(const std::vector<float>& x, double rate) {
  const auto block = static_cast<std::size_t>(rate / 100);
  std::vector<double> rms;
  for (std::size_t i = 0; i + block <= x.size(); i += block) {
    double e = 0;
    for (std::size_t j = i; j < i + block; ++j) e += double(x[j]) * x[j];
    rms.push_back(std::sqrt(e / static_cast<double>(block)));
  }
  const double peak = *std::max_element(rms.begin(), rms.end());
  std::size_t first = 0, last = rms.size() - 1;
  while (rms[first] < 0.05 * peak) ++first;
  while (rms[last] < 0.05 * peak) --last;
  return {static_cast<double>(first) / 100, static_cast<double>(last + 1) / 100};
}

// 1 s of noise, then each digit followed by 1.5 s of noise: every digit
// twice, spread over the six speakers and takes 0-4. `truth` gets the words.
inline std::vector<float> KwsTestStream(double rate, std::vector<TruthWord>* truth) {
  const char* digits[] = {"zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"};
  const char* speakers[] = {"george", "jackson", "lucas", "nicolas", "theo", "yweweler"};
  Rng rng(5);
  std::vector<float> stream;
  auto noise = [&] { return 100.0f * static_cast<float>(rng.Gaussian()); };
  auto gap = [&](double seconds) {
    for (int i = 0; i < static_cast<int>(seconds * rate); ++i) stream.push_back(noise());
  };
  gap(1.0);
  for (int k = 0; k < 2; ++k) {
    for (int d = 0; d < 10; ++d) {
      const int i = 10 * k + d;
      const std::string file =
          std::to_string(d) + "_" + speakers[(3 * i + k) % 6] + "_" + std::to_string(i % 5) + ".wav";
      const std::vector<float> x = audio::LoadForFeatures(FsddDir() + "/" + file, pipeline::ModelAudioOptions(rate));
      const auto [s, e] = WordExtent(x, rate);
      const double at = static_cast<double>(stream.size()) / rate;
      truth->push_back({digits[d], at + s, at + e});
      for (float v : x) stream.push_back(v + noise());
      gap(1.5);
    }
  }
  return stream;
}

// Events matched to the truth: a hit has the word's label and overlaps it
// (±0.3 s); anything else is a false alarm; a word hit twice counts once.
struct KwsScore {
  int hits = 0, false_alarms = 0;
  int timed_100ms = 0;       // hits with both ends within 100 ms of the truth
  double worst_time_s = 0;   // largest start or end error of a hit
};

struct ScoredEvent {
  std::string label;
  double start_s = 0, end_s = 0;
};

inline KwsScore ScoreKeywords(const std::vector<ScoredEvent>& events, const std::vector<TruthWord>& truth) {
  KwsScore score;
  std::vector<bool> used(truth.size(), false);
  for (const ScoredEvent& e : events) {
    std::size_t match = truth.size();
    for (std::size_t w = 0; w < truth.size(); ++w)
      if (!used[w] && truth[w].label == e.label && e.start_s <= truth[w].end_s + 0.3 &&
          e.end_s >= truth[w].start_s - 0.3)
        match = w;
    if (match == truth.size()) {
      ++score.false_alarms;
      continue;
    }
    used[match] = true;
    ++score.hits;
    const double err = std::max(std::abs(e.start_s - truth[match].start_s), std::abs(e.end_s - truth[match].end_s));
    score.timed_100ms += err <= 0.1;
    score.worst_time_s = std::max(score.worst_time_s, err);
  }
  return score;
}

// The quality floor the keyword tests hold the shipped spotter to on this
// stream, from its measured quality at the default threshold on the
// 120-minute evaluation stream of recipes/kws-digits (2% of held-out digits
// missed; 19 false alarms per hour, 1% of words given a wrong label, which
// predicts 0.4 false alarms in this stream's 20 words and 40 s; the words
// here sit in noise, not speech): >= 85% of the words found, at most two
// false alarms, >= 80% of the hits timed within 100 ms at both ends, none off
// by > 250 ms. The shipped model finds all 20 here, with no false alarm.
inline void CheckKwsQuality(const std::vector<ScoredEvent>& events, const std::vector<TruthWord>& truth) {
  const KwsScore s = ScoreKeywords(events, truth);
  MESSAGE("hits " << s.hits << " of " << truth.size() << ", false alarms " << s.false_alarms
                  << ", timed within 100 ms " << s.timed_100ms << ", worst " << s.worst_time_s << " s");
  CHECK(s.hits >= static_cast<int>(0.85 * static_cast<double>(truth.size())));
  CHECK(s.false_alarms <= 2);
  CHECK(s.timed_100ms >= static_cast<int>(0.8 * s.hits));
  CHECK(s.worst_time_s <= 0.25);
}

}  // namespace auris::test
