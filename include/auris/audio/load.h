// Loading audio for feature extraction, with Kaldi's semantics:
//  - channel: --channel (-1 = channel 0, with a warning for multi-channel
//    files; see ResolveChannel in audio.h);
//  - segment: a Kaldi `segments` entry [start, end) in seconds of the
//    recording, cut at the file's own rate like extract-segments (sample =
//    trunc(t * rate), end -1 = to the end, an end overshooting the file by
//    < max_overshoot_s is clipped, more is an error);
//  - rate: when the file's rate differs from target_rate_hz the audio is
//    resampled with soxr (high quality) if --allow-downsample /
//    --allow-upsample permit it, otherwise an auris::Error naming the file,
//    both rates and the option (as Kaldi does). Note that Kaldi resamples with
//    its own windowed-sinc filter, so features of resampled audio match Kaldi
//    only approximately; same-rate audio is untouched.
// Samples are at Kaldi's scale (audio.h).
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "auris/audio/audio_reader.h"
#include "auris/audio/resample.h"

namespace auris::audio {

// AudioLoadOptions::channel value that averages all channels (what models
// use: a model takes any channel count, Kaldi's tools take one channel).
inline constexpr int kMixChannels = -2;

struct AudioLoadOptions {
  double target_rate_hz = 16000;  // --sample-frequency
  int channel = -1;               // --channel, or kMixChannels
  bool allow_downsample = false;  // --allow-downsample
  bool allow_upsample = false;    // --allow-upsample
  double max_overshoot_s = 0.5;   // segments: tolerated end beyond the file (extract-segments)
  ResampleQuality quality = ResampleQuality::kHigh;

  void Validate() const;
  std::string ToString() const;
};

// A Kaldi segments entry; the default is the whole recording.
struct AudioSegment {
  double start_s = 0;
  double end_s = -1;  // -1: to the end of the recording
  int channel = -1;   // segments' optional 5th field; >= 0 overrides AudioLoadOptions::channel
};

// Streams one channel of one file (or segment) at the target rate, in chunks,
// so long recordings need not be held in memory.
class FeatureAudioReader {
 public:
  FeatureAudioReader(AudioFileReader file, const AudioLoadOptions& options,
                     const AudioSegment& segment = {});
  ~FeatureAudioReader();
  FeatureAudioReader(FeatureAudioReader&&) noexcept;

  const std::string& Name() const { return file_.Name(); }
  int SourceRate() const { return file_.SampleRate(); }
  int SourceChannels() const { return file_.NumChannels(); }
  double OutputRate() const { return target_rate_hz_; }
  // The multi-channel-without-channel warning, or "".
  const std::string& Warning() const { return warning_; }

  // Reads up to max_input_frames frames of the source, appends the resulting
  // samples (at OutputRate) to *out. Returns false once everything has been
  // delivered (then *out received the final samples, if any).
  bool Read(std::size_t max_input_frames, std::vector<float>* out);

 private:
  AudioFileReader file_;
  double target_rate_hz_;
  int channel_ = 0;
  std::int64_t end_frame_ = 0;  // exclusive
  std::unique_ptr<Resampler> resampler_;
  std::vector<float> interleaved_, mono_;
  std::string warning_;
  bool done_ = false;
};

// The whole file (or segment) as one channel at target_rate_hz. Throws
// auris::Error naming the file on any problem, including no samples at all.
std::vector<float> LoadForFeatures(const std::string& path, const AudioLoadOptions& options,
                                   const AudioSegment& segment = {}, std::string* warning = nullptr);
// Same, decoding `bytes` (e.g. a wav.scp pipe's output); `name` is used in messages.
std::vector<float> LoadForFeaturesFromMemory(std::string bytes, const std::string& name,
                                             const AudioLoadOptions& options,
                                             const AudioSegment& segment = {},
                                             std::string* warning = nullptr);

}  // namespace auris::audio
