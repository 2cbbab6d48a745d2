// A keyword test stream for the digit spotter: held-out FSDD recordings
// (takes 0-4, never in the spotter's training) among white-noise gaps around
// -50 dBFS, with the spoken word's true start and end in seconds. Needs FSDD.
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

// 1 s of noise, then each digit followed by 1.5 s of noise. `truth` gets the words.
inline std::vector<float> KwsTestStream(double rate, std::vector<TruthWord>* truth) {
  const std::vector<std::pair<std::string, std::string>> words = {
      {"3_theo_0.wav", "three"}, {"7_jackson_1.wav", "seven"}, {"0_nicolas_2.wav", "zero"},
      {"5_lucas_3.wav", "five"}, {"9_george_4.wav", "nine"},   {"1_yweweler_0.wav", "one"}};
  Rng rng(5);
  std::vector<float> stream;
  auto noise = [&] { return 100.0f * static_cast<float>(rng.Gaussian()); };
  auto gap = [&](double seconds) {
    for (int i = 0; i < static_cast<int>(seconds * rate); ++i) stream.push_back(noise());
  };
  gap(1.0);
  for (const auto& [file, label] : words) {
    const std::vector<float> x = audio::LoadForFeatures(FsddDir() + "/" + file, pipeline::ModelAudioOptions(rate));
    const auto [s, e] = WordExtent(x, rate);
    const double at = static_cast<double>(stream.size()) / rate;
    truth->push_back({label, at + s, at + e});
    for (float v : x) stream.push_back(v + noise());
    gap(1.5);
  }
  return stream;
}

}  // namespace auris::test
