#include "auris/audio/load.h"

#include <cmath>
#include <sstream>

#include "auris/core/error.h"

namespace auris::audio {

void AudioLoadOptions::Validate() const {
  if (!(target_rate_hz > 0) || !std::isfinite(target_rate_hz))
    throw MakeError("--sample-frequency must be > 0 (got ", target_rate_hz, ")");
  if (channel < kMixChannels)
    throw MakeError("--channel must be -1 or a channel index (got ", channel, ")");
  if (!(max_overshoot_s >= 0)) throw MakeError("max_overshoot_s must be >= 0 (got ", max_overshoot_s, ")");
}

std::string AudioLoadOptions::ToString() const {
  std::ostringstream os;
  os << "--sample-frequency=" << target_rate_hz << " --channel=" << channel
     << " --allow-downsample=" << (allow_downsample ? "true" : "false")
     << " --allow-upsample=" << (allow_upsample ? "true" : "false")
     << " max_overshoot_s=" << max_overshoot_s
     << " quality=" << (quality == ResampleQuality::kVeryHigh ? "very-high" : "high");
  return os.str();
}

namespace {

void CheckRate(const std::string& name, int source_rate, const AudioLoadOptions& o) {
  const double rate = source_rate;
  if (rate > o.target_rate_hz && !o.allow_downsample)
    throw MakeError(name, ": sample rate ", source_rate, " Hz differs from --sample-frequency ",
                    o.target_rate_hz, " Hz (use --allow-downsample=true to downsample it)");
  if (rate < o.target_rate_hz && !o.allow_upsample)
    throw MakeError(name, ": sample rate ", source_rate, " Hz differs from --sample-frequency ",
                    o.target_rate_hz, " Hz (use --allow-upsample=true to upsample it)");
}

// [start, end) frames of the segment, with extract-segments' rules.
std::pair<std::int64_t, std::int64_t> SegmentFrames(const std::string& name, const AudioSegment& s,
                                                    int rate, std::int64_t num_frames,
                                                    double max_overshoot_s) {
  if (s.start_s == 0 && s.end_s == -1) return {0, num_frames};
  if (!(s.start_s >= 0) || (s.end_s != -1 && !(s.end_s > 0)) || (s.end_s > 0 && s.start_s >= s.end_s))
    throw MakeError(name, ": invalid segment [", s.start_s, ", ", s.end_s, "] seconds");
  const auto start = static_cast<std::int64_t>(s.start_s * rate);
  auto end = s.end_s == -1 ? num_frames : static_cast<std::int64_t>(s.end_s * rate);
  const double duration = static_cast<double>(num_frames) / rate;
  if (start >= num_frames)
    throw MakeError(name, ": segment start ", s.start_s, " s is beyond the end of the recording (",
                    duration, " s)");
  if (end > num_frames) {
    if (end >= num_frames + static_cast<std::int64_t>(max_overshoot_s * rate))
      throw MakeError(name, ": segment end ", s.end_s, " s is too far beyond the end of the recording (",
                      duration, " s; tolerated overshoot ", max_overshoot_s, " s)");
    end = num_frames;
  }
  return {start, end};
}

}  // namespace

FeatureAudioReader::FeatureAudioReader(AudioFileReader file, const AudioLoadOptions& options,
                                       const AudioSegment& segment)
    : file_(std::move(file)), target_rate_hz_(options.target_rate_hz) {
  options.Validate();
  const int channel = segment.channel >= 0 ? segment.channel : options.channel;
  channel_ = channel == kMixChannels ? kMixChannels
                                     : ResolveChannel(channel, file_.NumChannels(), file_.Name(), &warning_);
  CheckRate(file_.Name(), file_.SampleRate(), options);
  const auto [start, end] = SegmentFrames(file_.Name(), segment, file_.SampleRate(),
                                          file_.NumFrames(), options.max_overshoot_s);
  end_frame_ = end;
  file_.Seek(start);
  if (file_.SampleRate() != options.target_rate_hz)
    resampler_ = std::make_unique<Resampler>(file_.SampleRate(), options.target_rate_hz, options.quality);
}

FeatureAudioReader::~FeatureAudioReader() = default;
FeatureAudioReader::FeatureAudioReader(FeatureAudioReader&&) noexcept = default;

bool FeatureAudioReader::Read(std::size_t max_input_frames, std::vector<float>* out) {
  if (done_) return false;
  const std::int64_t left = end_frame_ - file_.Position();
  const std::size_t want = static_cast<std::size_t>(std::min<std::int64_t>(
      left, static_cast<std::int64_t>(std::max<std::size_t>(max_input_frames, 1))));
  const int nc = file_.NumChannels();
  // Mono at the asked rate: straight into out (no copy).
  const bool direct = nc == 1 && !resampler_;
  interleaved_.clear();
  const std::size_t got = want > 0 ? file_.Read(want, direct ? out : &interleaved_) : 0;
  if (got == 0) {  // end of segment (or of an MP3 shorter than its estimate)
    if (resampler_) resampler_->Flush(out);
    done_ = true;
    return false;
  }
  if (direct) return true;
  mono_.resize(got);
  if (channel_ == kMixChannels) {
    for (std::size_t i = 0; i < got; ++i) {  // as MixToMono
      double sum = 0;
      for (int c = 0; c < nc; ++c) sum += interleaved_[i * nc + c];
      mono_[i] = static_cast<float>(sum / nc);
    }
  } else {
    for (std::size_t i = 0; i < got; ++i) mono_[i] = interleaved_[i * nc + channel_];
  }
  if (resampler_) resampler_->Process(mono_.data(), got, out);
  else out->insert(out->end(), mono_.begin(), mono_.end());
  return true;
}

namespace {

std::vector<float> LoadAll(FeatureAudioReader reader, std::string* warning) {
  std::vector<float> out;
  while (reader.Read(1 << 16, &out)) {
  }
  if (out.empty()) throw MakeError(reader.Name(), ": contains no audio samples");
  if (warning != nullptr) *warning = reader.Warning();
  return out;
}

}  // namespace

std::vector<float> LoadForFeatures(const std::string& path, const AudioLoadOptions& options,
                                   const AudioSegment& segment, std::string* warning) {
  return LoadAll(FeatureAudioReader(AudioFileReader::Open(path), options, segment), warning);
}

std::vector<float> LoadForFeaturesFromMemory(std::string bytes, const std::string& name,
                                             const AudioLoadOptions& options,
                                             const AudioSegment& segment, std::string* warning) {
  return LoadAll(
      FeatureAudioReader(AudioFileReader::OpenMemory(std::move(bytes), name), options, segment),
      warning);
}

}  // namespace auris::audio
