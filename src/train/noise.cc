#include "auris/train/noise.h"

#include <algorithm>
#include <cmath>

#include "auris/audio/load.h"
#include "auris/core/error.h"
#include "auris/core/rng.h"

namespace auris::train {

const char* NoiseColourName(NoiseColour colour) {
  switch (colour) {
    case NoiseColour::kWhite: return "white";
    case NoiseColour::kPink: return "pink";
    case NoiseColour::kBrown: return "brown";
  }
  return "?";
}

std::vector<float> ColouredNoise(NoiseColour colour, std::size_t n, std::uint64_t seed) {
  Rng rng(seed);
  std::vector<float> out(n);
  double b0 = 0, b1 = 0, b2 = 0;  // pink filter state
  double y = 0;                   // brown integrator state
  for (std::size_t i = 0; i < n; ++i) {
    const double w = rng.Gaussian();
    double v = w;
    if (colour == NoiseColour::kPink) {
      // Paul Kellett's "economy" pink filter: three first-order lowpasses
      // whose sum follows 1/f within about +-0.5 dB over most of the band.
      b0 = 0.99765 * b0 + w * 0.0990460;
      b1 = 0.96300 * b1 + w * 0.2965164;
      b2 = 0.57000 * b2 + w * 1.0526913;
      v = b0 + b1 + b2 + w * 0.1848;
    } else if (colour == NoiseColour::kBrown) {
      y = 0.998 * y + w;  // leaky: bounded, 1/f^2 above the pole
      v = y;
    }
    out[i] = static_cast<float>(v);
  }
  return out;
}

double ActivePower(std::span<const float> samples, double sample_rate_hz) {
  const std::size_t block =
      std::max<std::size_t>(1, static_cast<std::size_t>(sample_rate_hz * kActiveBlockMs / 1000.0));
  std::vector<double> powers;
  for (std::size_t start = 0; start < samples.size(); start += block) {
    const std::size_t end = std::min(samples.size(), start + block);
    double sum = 0;
    for (std::size_t i = start; i < end; ++i) sum += static_cast<double>(samples[i]) * samples[i];
    powers.push_back(sum / static_cast<double>(end - start));
  }
  const double loudest = powers.empty() ? 0.0 : *std::max_element(powers.begin(), powers.end());
  if (loudest <= 0) return 0.0;
  const double threshold = loudest * std::pow(10.0, -kActiveRangeDb / 10.0);
  double sum = 0;
  int count = 0;
  for (double p : powers) {
    if (p >= threshold) {
      sum += p;
      ++count;
    }
  }
  return sum / count;
}

NoiseBank::NoiseBank(const std::vector<std::string>& files, double sample_rate_hz)
    : sample_rate_hz_(sample_rate_hz) {
  if (!(sample_rate_hz > 0))
    throw MakeError("NoiseBank: sample rate ", sample_rate_hz, " must be > 0");
  audio::AudioLoadOptions load;
  load.target_rate_hz = sample_rate_hz;
  load.channel = audio::kMixChannels;
  load.allow_downsample = true;
  load.allow_upsample = true;
  for (const std::string& file : files) {
    std::vector<float> samples;
    try {
      samples = audio::LoadForFeatures(file, load);
    } catch (const std::exception& e) {
      throw MakeError("noise file ", file, ": ", e.what());
    }
    if (std::all_of(samples.begin(), samples.end(), [](float x) { return x == 0.0f; }))
      throw MakeError("noise file ", file, ": holds only zeros");
    names_.push_back(file);
    noise_.push_back(std::move(samples));
  }
}

}  // namespace auris::train
