// Noise for augmentation: recorded noise files loaded once (NoiseBank),
// generated coloured noise, and the speech-active power that additive noise
// is scaled against.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace auris::train {

enum class NoiseColour { kWhite = 0, kPink = 1, kBrown = 2 };
inline constexpr int kNumNoiseColours = 3;
const char* NoiseColourName(NoiseColour colour);

// n samples of seeded noise (same seed, same samples): white = Gaussian;
// pink = white through Paul Kellett's three-pole 1/f approximation (power
// per octave flat); brown = white through a leaky integrator (pole 0.998,
// 1/f^2 above a few Hz). Unnormalised: callers scale to a target power.
std::vector<float> ColouredNoise(NoiseColour colour, std::size_t n, std::uint64_t seed);

// Speech-active power (mean square) of a signal: the mean of the mean squares
// of the 20 ms blocks (the last one may be shorter) whose mean square is
// within kActiveRangeDb of the loudest block's, so silence and the zeros of a
// time shift do not dilute it. 0 for an all-zero or empty signal.
inline constexpr double kActiveBlockMs = 20.0;
inline constexpr double kActiveRangeDb = 30.0;
double ActivePower(std::span<const float> samples, double sample_rate_hz);

// Noise recordings held in memory, mono at the model's rate, read once and
// shared read-only by every training thread.
class NoiseBank {
 public:
  // Loads every file: any format libsndfile reads, channels averaged,
  // resampled (soxr) to sample_rate_hz. Throws auris::Error naming the file
  // when it cannot be read or holds only zeros.
  NoiseBank(const std::vector<std::string>& files, double sample_rate_hz);

  std::size_t size() const { return noise_.size(); }
  double SampleRateHz() const { return sample_rate_hz_; }
  const std::string& Name(std::size_t i) const { return names_.at(i); }
  const std::vector<float>& Samples(std::size_t i) const { return noise_.at(i); }

 private:
  double sample_rate_hz_;
  std::vector<std::string> names_;
  std::vector<std::vector<float>> noise_;
};

}  // namespace auris::train
