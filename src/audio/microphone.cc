#include "auris/audio/microphone.h"

#include <portaudio.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <sstream>
#include <thread>

#include "auris/core/error.h"
#include "portaudio_library.h"

namespace auris::audio {

void MicrophoneOptions::Validate() const {
  if (!(target_rate_hz > 0) || !std::isfinite(target_rate_hz))
    throw MakeError("microphone: target_rate_hz must be > 0, got ", target_rate_hz);
  if (!(buffer_seconds > 0) || !(buffer_seconds <= 600))
    throw MakeError("microphone: buffer_seconds must be in (0, 600], got ", buffer_seconds);
  if (channels < 0 || channels > 2)
    throw MakeError("microphone: channels must be 0 (auto), 1 or 2, got ", channels);
}

std::string MicrophoneOptions::ToString() const {
  std::ostringstream os;
  os << "device=\"" << device << "\" target_rate_hz=" << target_rate_hz
     << " buffer_seconds=" << buffer_seconds << " channels=" << channels;
  return os.str();
}

// PortAudio's C callbacks; they run on the audio thread and touch only the
// ring and the atomics: no allocation, no lock, no exception.
struct MicrophoneCallbacks {
  static int OnAudio(const void* input, void*, unsigned long frames, const PaStreamCallbackTimeInfo*,
                     PaStreamCallbackFlags flags, void* user) noexcept {
    auto* mic = static_cast<Microphone*>(user);
    if ((flags & paInputOverflow) != 0) mic->host_overflows_.fetch_add(1, std::memory_order_relaxed);
    if (input == nullptr) return paContinue;
    // Whole frames only: the capacity and every write are multiples of the
    // channel count, so a truncated write still ends on a frame boundary.
    const std::size_t n = frames * static_cast<std::size_t>(mic->channels_);
    const std::size_t written = mic->ring_.Write(static_cast<const std::int16_t*>(input), n);
    if (written < n) mic->dropped_.fetch_add(n - written, std::memory_order_relaxed);
    return paContinue;
  }
  static void OnFinished(void* user) noexcept {
    static_cast<Microphone*>(user)->finished_.store(true, std::memory_order_release);
  }
};

namespace {

const MicrophoneOptions& Validated(const MicrophoneOptions& o) {
  o.Validate();
  return o;
}

std::size_t RingCapacity(const MicrophoneOptions& o, const InputDevice& d, int channels) {
  const auto frames = static_cast<std::size_t>(std::ceil(o.buffer_seconds * d.default_rate));
  return std::max<std::size_t>(frames, 1) * static_cast<std::size_t>(channels);
}

// Devices that report more than 2 channels are mostly mixers (ALSA
// "default", PulseAudio, PipeWire report 32-128) that convert anyway: ask
// them for mono. Through alsa-lib's plug, a channel conversion also makes the
// file plugin behind the virtual test microphone skip data.
int ChannelsFor(const MicrophoneOptions& o, const InputDevice& d) {
  if (o.channels > 0) return o.channels;
  return d.max_channels <= 2 ? d.max_channels : 1;
}

std::string Describe(const InputDevice& d) {
  std::ostringstream os;
  os << "input device [" << d.index << "] \"" << d.name << "\"";
  return os.str();
}

}  // namespace

Microphone::Microphone(const MicrophoneOptions& options)
    : options_(Validated(options)),
      library_(internal::AcquirePortAudio()),
      device_(SelectInputDevice(ListInputDevices(), options.device)),
      channels_(ChannelsFor(options_, device_)),
      ring_(RingCapacity(options_, device_, channels_)) {
  const PaDeviceInfo* info = Pa_GetDeviceInfo(device_.index);
  if (info == nullptr) throw MakeError(Describe(device_), " disappeared while opening it");
  PaStreamParameters params{};
  params.device = device_.index;
  params.channelCount = channels_;
  params.sampleFormat = paInt16;
  params.suggestedLatency = info->defaultLowInputLatency;
  PaStream* stream = nullptr;
  PaError err = Pa_OpenStream(&stream, &params, nullptr, device_.default_rate,
                              paFramesPerBufferUnspecified, paNoFlag, &MicrophoneCallbacks::OnAudio, this);
  if (err != paNoError)
    throw MakeError("cannot open ", Describe(device_), " at ", device_.default_rate, " Hz, ", channels_,
                    " channel(s), 16-bit: ", internal::PortAudioErrorText(err));
  stream_ = stream;
  err = Pa_SetStreamFinishedCallback(stream, &MicrophoneCallbacks::OnFinished);
  if (err == paNoError) err = Pa_StartStream(stream);
  if (err != paNoError) {
    const std::string text = internal::PortAudioErrorText(err);
    Pa_CloseStream(stream);
    stream_ = nullptr;
    throw MakeError("cannot start ", Describe(device_), ": ", text);
  }
  if (device_.default_rate != options_.target_rate_hz)
    resampler_ = std::make_unique<Resampler>(device_.default_rate, options_.target_rate_hz);
  scratch_.resize(ring_.Capacity());
}

Microphone::~Microphone() {
  Stop();
  if (stream_ != nullptr) Pa_CloseStream(static_cast<PaStream*>(stream_));
}

void Microphone::Stop() {
  if (stopped_) return;
  stopped_ = true;
  // Abort rather than stop: there is no output to drain, and a vanished
  // device must not make this wait. Errors are moot once stopping.
  if (stream_ != nullptr) Pa_AbortStream(static_cast<PaStream*>(stream_));
}

void Microphone::Convert(std::vector<float>* out, bool flush) {
  const std::size_t n = ring_.Read(scratch_.data(), scratch_.size());
  const std::size_t frames = n / static_cast<std::size_t>(channels_);
  mono_.resize(frames);
  // Downmix by averaging; int16 values are already Kaldi's sample scale.
  for (std::size_t f = 0; f < frames; ++f) {
    float sum = 0;
    for (int c = 0; c < channels_; ++c) sum += scratch_[f * channels_ + c];
    mono_[f] = sum / static_cast<float>(channels_);
  }
  if (resampler_ == nullptr) {
    out->insert(out->end(), mono_.begin(), mono_.end());
    return;
  }
  resampler_->Process(mono_.data(), mono_.size(), out);
  if (flush) resampler_->Flush(out);
}

std::size_t Microphone::Read(std::vector<float>* out, double timeout_seconds) {
  const std::size_t before = out->size();
  if (stopped_) {
    // Drain what was captured before Stop(), once.
    if (!flushed_) Convert(out, true);
    flushed_ = true;
    return out->size() - before;
  }
  using Clock = std::chrono::steady_clock;
  const auto deadline = Clock::now() + std::chrono::duration_cast<Clock::duration>(
                                           std::chrono::duration<double>(std::max(timeout_seconds, 0.0)));
  // The callback may not signal (no locks on the audio thread), so poll.
  while (ring_.Available() == 0) {
    const PaError active = Pa_IsStreamActive(static_cast<PaStream*>(stream_));
    if (finished_.load(std::memory_order_acquire) || active != 1)
      throw MakeError(Describe(device_), " stopped delivering audio (disconnected?)",
                      active < 0 ? ": " + internal::PortAudioErrorText(active) : std::string());
    if (Clock::now() >= deadline)
      throw MakeError(Describe(device_), " delivered no audio for ", timeout_seconds, " s");
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  Convert(out, false);
  return out->size() - before;
}

}  // namespace auris::audio
