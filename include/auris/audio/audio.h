// In-memory audio and channel handling.
//
// Sample scale: auris keeps samples at Kaldi's scale, the int16 range — a
// full-scale sample is 32768 (libsndfile's normalised float in [-1, 1)
// multiplied by 32768). A 16-bit file therefore yields exactly its int16
// values, as Kaldi's wave reader does; 24/32-bit files give fractional values
// in the same range (Kaldi itself reads only 16-bit WAV); 8-bit files give
// multiples of 256; float files are scaled by 32768 and not clipped.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

namespace auris::audio {

inline constexpr float kKaldiSampleScale = 32768.0f;

struct Audio {
  int sample_rate = 0;
  int num_channels = 0;
  std::vector<float> samples;  // interleaved frames: s[frame * num_channels + channel]

  std::size_t NumFrames() const {
    return num_channels > 0 ? samples.size() / static_cast<std::size_t>(num_channels) : 0;
  }
  double DurationSeconds() const {
    return sample_rate > 0 ? static_cast<double>(NumFrames()) / sample_rate : 0.0;
  }
};

// Kaldi's --channel semantics (compute-mfcc-feats): channel -1 means channel 0;
// Kaldi then warns when the file has more than one channel, and so do we, by
// setting *warning (library code does not print). A channel >= num_channels is
// an auris::Error (Kaldi skips the utterance with a warning; we make the
// failure visible). `name` is the file or utterance named in messages.
int ResolveChannel(int channel, int num_channels, const std::string& name,
                   std::string* warning = nullptr);

// One channel of `audio`, per ResolveChannel.
std::vector<float> SelectChannel(const Audio& audio, int channel, const std::string& name = "audio",
                                 std::string* warning = nullptr);

// Average of all channels (for model inputs that take any channel count).
std::vector<float> MixToMono(const Audio& audio);

}  // namespace auris::audio
