// Signals and measurements shared by the augmentation tests.
#pragma once

#include <cmath>
#include <vector>

namespace auris::train::test {

inline constexpr double kRate = 16000;

// amplitude * sin(2 pi f t), n samples at kRate.
inline std::vector<float> Tone(double freq_hz, double amplitude, int n) {
  std::vector<float> x(n);
  for (int i = 0; i < n; ++i)
    x[i] = static_cast<float>(amplitude * std::sin(2 * M_PI * freq_hz * i / kRate));
  return x;
}

// 3840 zeros, 8000 samples of a 1 kHz sine of amplitude 1000, 3840 zeros:
// every 20 ms block (320 samples) holds 20 whole periods or nothing, so the
// speech-active power is exactly 1000^2 / 2 (the whole-signal mean square is
// 2.9 dB lower).
inline constexpr double kBurstAmplitude = 1000;
inline std::vector<float> ToneBurst() {
  std::vector<float> x(3840, 0.0f);
  const std::vector<float> tone = Tone(1000, kBurstAmplitude, 8000);
  x.insert(x.end(), tone.begin(), tone.end());
  x.insert(x.end(), 3840, 0.0f);
  return x;
}

inline double MeanSquare(const std::vector<float>& x) {
  double s = 0;
  for (float v : x) s += static_cast<double>(v) * v;
  return s / static_cast<double>(x.size());
}

// Frequency from upward zero crossings (linearly interpolated) between
// samples [from, to).
inline double ZeroCrossingFrequency(const std::vector<float>& x, int from, int to) {
  double first = -1, last = -1;
  int count = 0;
  for (int i = from + 1; i < to; ++i) {
    if (x[i - 1] < 0 && x[i] >= 0) {
      const double t = (i - 1) + x[i - 1] / static_cast<double>(x[i - 1] - x[i]);
      if (first < 0) first = t;
      last = t;
      ++count;
    }
  }
  return (count - 1) / ((last - first) / kRate);
}

}  // namespace auris::train::test
