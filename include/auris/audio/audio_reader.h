// Reading audio files (any format the installed libsndfile decodes: WAV PCM
// 8/16/24/32-bit and float, FLAC, OGG/Vorbis, MP3, AIFF, ...) from a path or
// from bytes in memory, whole or in chunks. Samples come out at Kaldi's scale
// (see audio.h). Every failure — missing, empty, truncated, not audio,
// corrupt header, NaN/inf samples, no samples — is an auris::Error whose
// message starts with the file name and says what is wrong.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "auris/audio/audio.h"

namespace auris::audio {

class AudioFileReader {
 public:
  static AudioFileReader Open(const std::string& path);
  // Decodes `bytes` (e.g. the output of a wav.scp pipe command); `name` is
  // used in error messages.
  static AudioFileReader OpenMemory(std::string bytes, const std::string& name);

  AudioFileReader(AudioFileReader&&) noexcept;
  AudioFileReader& operator=(AudioFileReader&&) noexcept;
  ~AudioFileReader();

  const std::string& Name() const;
  int SampleRate() const;
  int NumChannels() const;
  // Frames declared by the header (exact for PCM, FLAC, OGG; an estimate
  // for MP3).
  std::int64_t NumFrames() const;
  // Frame index of the next Read().
  std::int64_t Position() const;
  // Moves to frame `frame` (0 <= frame <= NumFrames()).
  void Seek(std::int64_t frame);

  // Appends up to max_frames interleaved frames to *out; returns the number
  // of frames read, 0 at the end. Throws on decode errors, truncation and
  // non-finite samples.
  std::size_t Read(std::size_t max_frames, std::vector<float>* out);

 private:
  struct Impl;
  explicit AudioFileReader(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// The whole file.
Audio ReadAudio(const std::string& path);
Audio ReadAudioFromMemory(std::string bytes, const std::string& name);

}  // namespace auris::audio
