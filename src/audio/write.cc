#include "auris/audio/write.h"

#include <sndfile.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <limits>

#include "audio/memory_io.h"
#include "auris/audio/audio.h"
#include "auris/core/atomic_file.h"
#include "auris/core/error.h"

namespace auris::audio {
namespace {

int Format(const AudioWriteOptions& o) {
  switch (o.container) {
    case AudioContainer::kWav:
      switch (o.encoding) {
        case SampleEncoding::kPcm8: return SF_FORMAT_WAV | SF_FORMAT_PCM_U8;
        case SampleEncoding::kPcm16: return SF_FORMAT_WAV | SF_FORMAT_PCM_16;
        case SampleEncoding::kPcm24: return SF_FORMAT_WAV | SF_FORMAT_PCM_24;
        case SampleEncoding::kPcm32: return SF_FORMAT_WAV | SF_FORMAT_PCM_32;
        case SampleEncoding::kFloat: return SF_FORMAT_WAV | SF_FORMAT_FLOAT;
        case SampleEncoding::kLossy: break;
      }
      break;
    case AudioContainer::kFlac:
      switch (o.encoding) {
        case SampleEncoding::kPcm8: return SF_FORMAT_FLAC | SF_FORMAT_PCM_S8;
        case SampleEncoding::kPcm16: return SF_FORMAT_FLAC | SF_FORMAT_PCM_16;
        case SampleEncoding::kPcm24: return SF_FORMAT_FLAC | SF_FORMAT_PCM_24;
        default: break;
      }
      break;
    case AudioContainer::kOgg:
      if (o.encoding == SampleEncoding::kLossy) return SF_FORMAT_OGG | SF_FORMAT_VORBIS;
      break;
    case AudioContainer::kMp3:
      if (o.encoding == SampleEncoding::kLossy) return SF_FORMAT_MPEG | SF_FORMAT_MPEG_LAYER_III;
      break;
  }
  throw MakeError("unsupported combination of audio container and sample encoding (",
                  static_cast<int>(o.container), ", ", static_cast<int>(o.encoding), ")");
}

template <typename T>
std::vector<T> ToInt(const float* x, std::size_t n, double scale) {
  // Round to nearest and clip: libsndfile's own float->int path scales by
  // 0x7FFF, which would not round-trip int16 values.
  const double lo = static_cast<double>(std::numeric_limits<T>::min());
  const double hi = static_cast<double>(std::numeric_limits<T>::max());
  std::vector<T> out(n);
  for (std::size_t i = 0; i < n; ++i)
    out[i] = static_cast<T>(std::clamp(std::nearbyint(static_cast<double>(x[i]) * scale), lo, hi));
  return out;
}

}  // namespace

std::string EncodeAudio(const float* samples, std::size_t num_samples, int sample_rate,
                        int num_channels, const AudioWriteOptions& options) {
  if (sample_rate <= 0 || num_channels <= 0)
    throw MakeError("EncodeAudio: invalid rate ", sample_rate, " or channel count ", num_channels);
  if (num_samples % static_cast<std::size_t>(num_channels) != 0)
    throw MakeError("EncodeAudio: ", num_samples, " samples is not a multiple of ", num_channels,
                    " channels");
  SF_INFO info{};
  info.samplerate = sample_rate;
  info.channels = num_channels;
  info.format = Format(options);
  if (!sf_format_check(&info))
    throw MakeError("EncodeAudio: libsndfile cannot write format 0x", std::hex, info.format);
  internal::MemoryFile memory;
  SNDFILE* f = sf_open_virtual(internal::MemoryVirtualIo(), SFM_WRITE, &info, &memory);
  if (f == nullptr) throw MakeError("EncodeAudio: ", sf_strerror(nullptr));
  const auto frames = static_cast<sf_count_t>(num_samples / num_channels);
  sf_count_t written = 0;
  const SampleEncoding e = options.encoding;
  if (e == SampleEncoding::kPcm8 || e == SampleEncoding::kPcm16) {
    // libsndfile maps short -> 8-bit by keeping the high byte.
    written = sf_writef_short(f, ToInt<std::int16_t>(samples, num_samples, 1.0).data(), frames);
  } else if (e == SampleEncoding::kPcm24 || e == SampleEncoding::kPcm32) {
    written = sf_writef_int(f, ToInt<std::int32_t>(samples, num_samples, 65536.0).data(), frames);
  } else {
    std::vector<float> scaled(samples, samples + num_samples);
    for (float& v : scaled) v /= kKaldiSampleScale;
    written = sf_writef_float(f, scaled.data(), frames);
  }
  const std::string error = sf_strerror(f);
  sf_close(f);
  if (written != frames) throw MakeError("EncodeAudio: wrote ", written, " of ", frames, " frames: ", error);
  return std::move(memory.bytes);
}

void WriteAudio(const std::string& path, const std::vector<float>& samples, int sample_rate,
                int num_channels, const AudioWriteOptions& options) {
  std::string bytes;
  try {
    bytes = EncodeAudio(samples.data(), samples.size(), sample_rate, num_channels, options);
  } catch (const Error& e) {
    throw WithContext(path, e);
  }
  WriteFileAtomically(path, bytes);
}

void WriteWav(const std::string& path, const std::vector<float>& samples, int sample_rate,
              int num_channels, SampleEncoding encoding) {
  WriteAudio(path, samples, sample_rate, num_channels, {AudioContainer::kWav, encoding});
}

}  // namespace auris::audio
