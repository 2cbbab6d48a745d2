#include "live_source.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <thread>

#include "auris/audio/audio_reader.h"
#include "auris/audio/load.h"
#include "auris/audio/microphone.h"
#include "auris/audio/resample.h"
#include "auris/core/error.h"
#include "auris/pipeline/feature_config.h"

namespace auris::cli {

void LiveSourceOptions::Validate() const {
  if (!(chunk_ms > 0)) throw MakeError("--chunk-ms must be > 0, got ", chunk_ms);
  if (!(buffer_s > 0)) throw MakeError("--buffer-seconds must be > 0, got ", buffer_s);
  if (stdin_pcm) {
    if (!input.empty() || !device.empty()) throw Error("--stdin excludes --input and --device");
    if (!(stdin_rate >= 1000 && stdin_rate <= 384000))
      throw MakeError("--stdin needs --stdin-rate in Hz (1000..384000), got ", stdin_rate);
    if (stdin_channels < 1 || stdin_channels > 64)
      throw MakeError("--stdin-channels must be 1..64, got ", stdin_channels);
  }
}

namespace {

class MicrophoneSource : public LiveSource {
 public:
  MicrophoneSource(const LiveSourceOptions& o, double model_rate)
      : mic_([&] {
          audio::MicrophoneOptions mo;
          mo.device = o.device;
          mo.target_rate_hz = model_rate;
          mo.buffer_seconds = o.buffer_s;
          return mo;
        }()),
        model_rate_(model_rate) {}

  bool Read(std::vector<float>* out) override {
    mic_.Read(out, 2.0);  // throws if the device stops delivering
    return true;
  }
  void Stop() override { mic_.Stop(); }
  std::uint64_t Overflows() const override { return mic_.Overflows(); }
  std::string Describe() const override {
    return mic_.DeviceName() + " (" + std::to_string(static_cast<int>(mic_.DeviceRate())) + " Hz, " +
           std::to_string(mic_.DeviceChannels()) + " ch)";
  }
  nlohmann::json Info() const override {
    return {{"device", mic_.DeviceName()}, {"device_rate", mic_.DeviceRate()}, {"rate", model_rate_}};
  }

 private:
  audio::Microphone mic_;
  double model_rate_;
};

// A file, paced so that no chunk is delivered before the audio clock has
// reached its end (as a microphone would), or unpaced with --fast.
class FileSource : public LiveSource {
 public:
  FileSource(const LiveSourceOptions& o, double model_rate)
      : reader_(audio::AudioFileReader::Open(o.input), pipeline::ModelAudioOptions(model_rate)),
        name_(o.input),
        fast_(o.fast),
        model_rate_(model_rate),
        chunk_(std::max<std::size_t>(1, static_cast<std::size_t>(o.chunk_ms / 1000 * reader_.SourceRate()))),
        t0_(std::chrono::steady_clock::now()) {}

  bool Read(std::vector<float>* out) override {
    const std::size_t before = out->size();
    const bool more = reader_.Read(chunk_, out);
    delivered_ += out->size() - before;
    if (!fast_) std::this_thread::sleep_until(t0_ + std::chrono::duration<double>(delivered_ / model_rate_));
    return more;
  }
  std::string Describe() const override { return name_ + (fast_ ? " (unpaced)" : " (real time)"); }
  nlohmann::json Info() const override { return {{"source", name_}, {"rate", model_rate_}}; }

 private:
  audio::FeatureAudioReader reader_;
  std::string name_;
  bool fast_;
  double model_rate_;
  std::size_t chunk_;
  std::chrono::steady_clock::time_point t0_;
  double delivered_ = 0;
};

// Raw interleaved s16le PCM from standard input, averaged to mono and
// resampled; paced by whoever writes it (e.g. arecord, sox, ffmpeg).
class StdinSource : public LiveSource {
 public:
  StdinSource(const LiveSourceOptions& o, double model_rate)
      : rate_(o.stdin_rate),
        channels_(o.stdin_channels),
        model_rate_(model_rate),
        frames_(std::max<std::size_t>(1, static_cast<std::size_t>(o.chunk_ms / 1000 * o.stdin_rate))),
        bytes_(frames_ * channels_ * 2) {
    if (rate_ != model_rate_) resampler_ = std::make_unique<audio::Resampler>(rate_, model_rate_);
  }

  bool Read(std::vector<float>* out) override {
    // Whole frames only; a partial frame stays for the next read.
    const std::size_t got = std::fread(bytes_.data() + pending_, 1, bytes_.size() - pending_, stdin);
    if (std::ferror(stdin)) throw Error("stdin: read error");
    const std::size_t have = pending_ + got;
    const std::size_t frame_bytes = static_cast<std::size_t>(channels_) * 2;
    const std::size_t frames = have / frame_bytes;
    mono_.assign(frames, 0.0f);
    for (std::size_t f = 0; f < frames; ++f) {
      float sum = 0;
      for (int c = 0; c < channels_; ++c) {
        const unsigned char* b = bytes_.data() + (f * channels_ + c) * 2;
        sum += static_cast<float>(static_cast<std::int16_t>(b[0] | (b[1] << 8)));
      }
      mono_[f] = sum / static_cast<float>(channels_);
    }
    pending_ = have - frames * frame_bytes;
    std::copy(bytes_.begin() + frames * frame_bytes, bytes_.begin() + have, bytes_.begin());
    const bool more = !std::feof(stdin);
    if (!more && pending_ > 0)
      throw MakeError("stdin: input ends inside a sample frame (", pending_, " stray bytes; expected s16le, ",
                      channels_, " channel(s))");
    if (!resampler_) {
      out->insert(out->end(), mono_.begin(), mono_.end());
    } else {
      resampler_->Process(mono_.data(), mono_.size(), out);
      if (!more) resampler_->Flush(out);
    }
    return more;
  }
  std::string Describe() const override {
    return "stdin (s16le, " + std::to_string(static_cast<int>(rate_)) + " Hz, " + std::to_string(channels_) + " ch)";
  }
  nlohmann::json Info() const override {
    return {{"source", "stdin"}, {"source_rate", rate_}, {"channels", channels_}, {"rate", model_rate_}};
  }

 private:
  double rate_;
  int channels_;
  double model_rate_;
  std::size_t frames_;
  std::vector<unsigned char> bytes_;
  std::size_t pending_ = 0;
  std::vector<float> mono_;
  std::unique_ptr<audio::Resampler> resampler_;
};

}  // namespace

std::unique_ptr<LiveSource> OpenLiveSource(const LiveSourceOptions& o, double model_rate) {
  o.Validate();
  if (o.stdin_pcm) return std::make_unique<StdinSource>(o, model_rate);
  if (!o.input.empty()) return std::make_unique<FileSource>(o, model_rate);
  return std::make_unique<MicrophoneSource>(o, model_rate);
}

bool ReadChunk(LiveSource& source, double duration_s, double seen_s, double rate, std::vector<float>* samples,
               std::string* failure) {
  samples->clear();
  bool more = false;
  try {
    more = source.Read(samples);
  } catch (const Error& e) {
    *failure = e.what();
    return false;
  }
  if (duration_s > 0) {
    const double left = (duration_s - seen_s) * rate;
    if (static_cast<double>(samples->size()) >= left) {
      samples->resize(static_cast<std::size_t>(std::max(0.0, left)));
      more = false;
    }
  }
  return more;
}

}  // namespace auris::cli
