// Writing audio files (test data, tools). Input samples are at Kaldi's scale
// (audio.h), interleaved. Integer encodings round to nearest and clip to the
// encoding's range, so samples that are whole int16 values round-trip exactly
// through PCM16/24/32. Files are encoded in memory and written under a
// temporary name, then renamed into place.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

namespace auris::audio {

enum class AudioContainer { kWav, kFlac, kOgg, kMp3 };
enum class SampleEncoding {
  kPcm8,   // WAV: unsigned 8-bit
  kPcm16,
  kPcm24,
  kPcm32,
  kFloat,  // 32-bit IEEE float (WAV only)
  kLossy,  // the codec's own (OGG/Vorbis, MP3)
};

struct AudioWriteOptions {
  AudioContainer container = AudioContainer::kWav;
  SampleEncoding encoding = SampleEncoding::kPcm16;
};

// Encoded file bytes.
std::string EncodeAudio(const float* samples, std::size_t num_samples, int sample_rate,
                        int num_channels, const AudioWriteOptions& options);

void WriteAudio(const std::string& path, const std::vector<float>& samples, int sample_rate,
                int num_channels, const AudioWriteOptions& options);

// WAV with the given encoding (kPcm8/16/24/32 or kFloat).
void WriteWav(const std::string& path, const std::vector<float>& samples, int sample_rate,
              int num_channels = 1, SampleEncoding encoding = SampleEncoding::kPcm16);

}  // namespace auris::audio
