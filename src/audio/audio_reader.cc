#include "auris/audio/audio_reader.h"

#include <sndfile.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <mutex>

#include "audio/memory_io.h"
#include "audio/riff_check.h"
#include "auris/core/error.h"

namespace auris::audio {

struct AudioFileReader::Impl {
  std::string name;
  internal::MemoryFile memory;  // used when decoding from bytes
  SNDFILE* file = nullptr;
  SF_INFO info{};
  std::int64_t position = 0;
  std::vector<float> buffer;
  std::vector<short> shorts;  // 16-bit PCM: read as integers, which are Kaldi's scale already

  bool Is16BitPcm() const { return (info.format & SF_FORMAT_SUBMASK) == SF_FORMAT_PCM_16; }

  ~Impl() {
    if (file != nullptr) sf_close(file);
  }
  bool IsMpeg() const { return (info.format & SF_FORMAT_TYPEMASK) == SF_FORMAT_MPEG; }
  // libsndfile's message for this handle (or for the failed open).
  std::string SfError() const { return sf_strerror(file); }

  // libsndfile reports a failed open through a global error state, so opens
  // are serialised to keep messages of concurrent opens apart.
  template <typename OpenFn>
  void OpenLocked(OpenFn open) {
    static std::mutex mutex;
    std::string error;
    {
      std::lock_guard<std::mutex> lock(mutex);
      file = open();
      if (file == nullptr) error = sf_strerror(nullptr);
    }
    if (file == nullptr) throw MakeError(name, ": not a readable audio file: ", error);
    CheckOpened();
  }

  void CheckOpened() const {
    if (info.channels <= 0) throw MakeError(name, ": corrupt header: no channels");
    if (info.samplerate <= 0) throw MakeError(name, ": corrupt header: sample rate ", info.samplerate);
    if (info.frames <= 0) throw MakeError(name, ": contains no audio samples (0 frames)");
  }
};

AudioFileReader::AudioFileReader(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
AudioFileReader::AudioFileReader(AudioFileReader&&) noexcept = default;
AudioFileReader& AudioFileReader::operator=(AudioFileReader&&) noexcept = default;
AudioFileReader::~AudioFileReader() = default;

AudioFileReader AudioFileReader::Open(const std::string& path) {
  auto impl = std::make_unique<Impl>();
  impl->name = path;
  std::error_code ec;
  const auto status = std::filesystem::status(path, ec);
  if (!std::filesystem::exists(status)) throw MakeError(path, ": no such file");
  if (std::filesystem::is_directory(status)) throw MakeError(path, ": is a directory, not an audio file");
  std::ifstream in(path, std::ios::binary);
  if (!in) throw MakeError(path, ": cannot open for reading (permission denied?)");
  const auto size = std::filesystem::file_size(path, ec);
  if (ec) throw MakeError(path, ": cannot determine size: ", ec.message());
  if (size == 0) throw MakeError(path, ": empty file (0 bytes)");
  const std::string truncated = internal::CheckWaveTruncation(
      [&in](std::uint64_t off, char* buf, std::size_t n) {
        in.clear();
        in.seekg(static_cast<std::streamoff>(off));
        in.read(buf, static_cast<std::streamsize>(n));
        return in.gcount() == static_cast<std::streamsize>(n);
      },
      size);
  if (!truncated.empty()) throw MakeError(path, ": ", truncated);
  Impl& m = *impl;
  m.OpenLocked([&] { return sf_open(path.c_str(), SFM_READ, &m.info); });
  return AudioFileReader(std::move(impl));
}

AudioFileReader AudioFileReader::OpenMemory(std::string bytes, const std::string& name) {
  auto impl = std::make_unique<Impl>();
  impl->name = name;
  if (bytes.empty()) throw MakeError(name, ": empty audio data (0 bytes)");
  impl->memory.bytes = std::move(bytes);
  const std::string& data = impl->memory.bytes;
  const std::string truncated = internal::CheckWaveTruncation(
      [&data](std::uint64_t off, char* buf, std::size_t n) {
        if (off + n > data.size()) return false;
        data.copy(buf, n, off);
        return true;
      },
      data.size());
  if (!truncated.empty()) throw MakeError(name, ": ", truncated);
  Impl& m = *impl;
  m.OpenLocked([&] { return sf_open_virtual(internal::MemoryVirtualIo(), SFM_READ, &m.info, &m.memory); });
  return AudioFileReader(std::move(impl));
}

const std::string& AudioFileReader::Name() const { return impl_->name; }
int AudioFileReader::SampleRate() const { return impl_->info.samplerate; }
int AudioFileReader::NumChannels() const { return impl_->info.channels; }
std::int64_t AudioFileReader::NumFrames() const { return impl_->info.frames; }
std::int64_t AudioFileReader::Position() const { return impl_->position; }

void AudioFileReader::Seek(std::int64_t frame) {
  if (frame < 0 || frame > impl_->info.frames)
    throw MakeError(impl_->name, ": seek to frame ", frame, " outside [0, ", impl_->info.frames, "]");
  if (frame == impl_->position) return;
  if (sf_seek(impl_->file, frame, SEEK_SET) != frame)
    throw MakeError(impl_->name, ": cannot seek to frame ", frame, ": ", impl_->SfError());
  impl_->position = frame;
}

std::size_t AudioFileReader::Read(std::size_t max_frames, std::vector<float>* out) {
  Impl& m = *impl_;
  const int nc = m.info.channels;
  const bool pcm16 = m.Is16BitPcm();
  if (pcm16) m.shorts.resize(max_frames * static_cast<std::size_t>(nc));
  else m.buffer.resize(max_frames * static_cast<std::size_t>(nc));
  const sf_count_t got = pcm16 ? sf_readf_short(m.file, m.shorts.data(), static_cast<sf_count_t>(max_frames))
                               : sf_readf_float(m.file, m.buffer.data(), static_cast<sf_count_t>(max_frames));
  if (got < 0 || sf_error(m.file) != SF_ERR_NO_ERROR)
    throw MakeError(m.name, ": decode error (truncated or corrupt data) near frame ", m.position, ": ", m.SfError());
  // PCM/FLAC/OGG headers state the exact length; fewer frames means the
  // file was cut short. MP3 lengths are estimates, so they are exempt.
  if (got == 0 && max_frames > 0 && m.position < m.info.frames && !m.IsMpeg())
    throw MakeError(m.name, ": truncated: header declares ", m.info.frames,
                    " frames but only ", m.position, " could be decoded");
  const std::size_t n = static_cast<std::size_t>(got) * nc;
  const std::size_t start = out->size();
  out->resize(start + n);
  float* dst = out->data() + start;
  if (pcm16) {
    // The same values as sf_readf_float's v / 32768 times kKaldiSampleScale, exactly.
    for (std::size_t i = 0; i < n; ++i) dst[i] = m.shorts[i];
  } else {
    for (std::size_t i = 0; i < n; ++i) {
      const float v = m.buffer[i];
      if (!std::isfinite(v)) {
        const std::int64_t frame = m.position + static_cast<std::int64_t>(i / nc);
        out->resize(start);
        throw MakeError(m.name, ": non-finite sample (", v, ") at sample index ",
                        frame * nc + static_cast<std::int64_t>(i % nc), " (frame ", frame, ", channel ", i % nc, ")");
      }
      dst[i] = v * kKaldiSampleScale;
    }
  }
  m.position += got;
  return static_cast<std::size_t>(got);
}

namespace {

Audio ReadAll(AudioFileReader reader) {
  Audio audio;
  audio.sample_rate = reader.SampleRate();
  audio.num_channels = reader.NumChannels();
  if (reader.NumFrames() > 0 && reader.NumFrames() < (std::int64_t{1} << 34))
    audio.samples.reserve(static_cast<std::size_t>(reader.NumFrames()) * audio.num_channels);
  while (reader.Read(1 << 16, &audio.samples) > 0) {
  }
  if (audio.samples.empty()) throw MakeError(reader.Name(), ": contains no audio samples");
  return audio;
}

}  // namespace

Audio ReadAudio(const std::string& path) { return ReadAll(AudioFileReader::Open(path)); }

Audio ReadAudioFromMemory(std::string bytes, const std::string& name) {
  return ReadAll(AudioFileReader::OpenMemory(std::move(bytes), name));
}

}  // namespace auris::audio
