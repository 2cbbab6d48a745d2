// Sample-rate conversion with libsoxr (linear phase, float32). The streaming
// Resampler and the one-shot Resample() give the same samples: feeding a
// signal in any chunking and then Flush() yields what Resample() returns for
// the whole signal (tested).
#pragma once

#include <cstddef>
#include <string>
#include <vector>

namespace auris::audio {

enum class ResampleQuality {
  kHigh,      // SOXR_HQ: 20-bit precision, ~-120 dB stopband
  kVeryHigh,  // SOXR_VHQ: 28-bit precision
};

// Mono, one call. Output length is round(in.size() * out_rate / in_rate).
std::vector<float> Resample(const std::vector<float>& in, double in_rate, double out_rate,
                            ResampleQuality quality = ResampleQuality::kHigh);

// Mono, streaming: for the live path and for reading long files in chunks.
class Resampler {
 public:
  Resampler(double in_rate, double out_rate, ResampleQuality quality = ResampleQuality::kHigh);
  ~Resampler();
  Resampler(const Resampler&) = delete;
  Resampler& operator=(const Resampler&) = delete;

  double InRate() const { return in_rate_; }
  double OutRate() const { return out_rate_; }

  // Consumes n input samples, appends whatever output is ready to *out.
  void Process(const float* in, std::size_t n, std::vector<float>* out);
  // Ends the input: appends the remaining output. Process() may not be called
  // after Flush() until Reset().
  void Flush(std::vector<float>* out);
  // Forgets all state, ready for a new signal.
  void Reset();

 private:
  void Drain(const float* in, std::size_t n, std::vector<float>* out);
  double in_rate_, out_rate_;
  ResampleQuality quality_;
  void* soxr_ = nullptr;  // soxr_t; the soxr header stays out of include/
  bool flushed_ = false;
};

}  // namespace auris::audio
