// Live capture from a PortAudio input device. The device is opened at its own
// default rate and channel count (see MicrophoneOptions::channels) as int16;
// the audio callback only copies interleaved samples into a lock-free SPSC
// ring and counts what did not fit. The consumer (Read) downmixes to mono, keeps Kaldi's int16 sample
// scale and resamples (soxr, streaming) to the requested rate.
//
// PortAudio is initialised while any Microphone or ListInputDevices() call is
// alive and terminated after the last one; environment variables read by the
// host APIs (ALSA_CONFIG_PATH, ...) take effect at the next initialisation.
// Before initialising, libjack's and alsa-lib's stderr messages are routed to
// no-ops (PortAudio probes JACK, which complains when no server runs); this
// is process-wide and only done when those libraries are loaded.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "auris/audio/resample.h"
#include "auris/core/ring_buffer.h"

namespace auris::audio {

struct InputDevice {
  int index = -1;  // PortAudio device index
  std::string name;
  std::string host_api;
  double default_rate = 0;
  int max_channels = 0;
  bool is_default = false;  // PortAudio's default input device
};

// Input-capable devices only, in PortAudio index order; empty if none.
std::vector<InputDevice> ListInputDevices();

struct MicrophoneOptions {
  // "" = the default input device; all digits = a PortAudio device index;
  // otherwise a case-insensitive name: an exact match wins, else the first
  // device (by index) whose name contains it.
  std::string device;
  double target_rate_hz = 16000;
  double buffer_seconds = 2;  // ring capacity at the device's rate
  // Channels to open, downmixed by averaging. 0 = the device's own count when
  // it reports 1 or 2; devices reporting more are mostly mixers (ALSA
  // "default", PulseAudio: 32-128 channels), opened mono.
  int channels = 0;

  void Validate() const;
  std::string ToString() const;
};

// The device chosen by `spec` (MicrophoneOptions::device rules) from
// `devices`. Throws auris::Error naming the available devices when there is
// none or no match.
InputDevice SelectInputDevice(const std::vector<InputDevice>& devices, const std::string& spec);

// Read() and Stop() are the consumer side: call them from one thread.
class Microphone {
 public:
  // Opens and starts the stream. Throws auris::Error: no input device, no
  // match for options.device (the message lists the devices), or PortAudio's
  // error text when the device cannot be opened (busy, unsupported).
  explicit Microphone(const MicrophoneOptions& options);
  ~Microphone();
  Microphone(const Microphone&) = delete;
  Microphone& operator=(const Microphone&) = delete;

  // Waits up to timeout_seconds for captured audio, then appends all of it,
  // mono at TargetRate(), to *out and returns how many samples it appended
  // (may be 0 while the resampler fills its window). Throws auris::Error if
  // the stream has stopped (device gone) or no audio arrived in time.
  // After Stop() it drains what is left (flushing the resampler) and then
  // returns 0.
  std::size_t Read(std::vector<float>* out, double timeout_seconds = 1.0);

  // Stops capture (idempotent); Read() then drains the remainder.
  void Stop();

  // Interleaved samples dropped because the ring was full (reader too slow).
  std::uint64_t Overflows() const { return dropped_.load(std::memory_order_relaxed); }
  // Callbacks in which the host reported lost input (paInputOverflow).
  std::uint64_t HostOverflows() const { return host_overflows_.load(std::memory_order_relaxed); }

  const InputDevice& Device() const { return device_; }
  double DeviceRate() const { return device_.default_rate; }
  const std::string& DeviceName() const { return device_.name; }
  int DeviceChannels() const { return channels_; }
  double TargetRate() const { return options_.target_rate_hz; }

 private:
  friend struct MicrophoneCallbacks;  // PortAudio's callbacks, in microphone.cc
  void Convert(std::vector<float>* out, bool flush);

  MicrophoneOptions options_;
  std::shared_ptr<void> library_;  // holds PortAudio initialised
  InputDevice device_;
  int channels_ = 0;
  void* stream_ = nullptr;         // PaStream*; portaudio.h stays out of include/
  SpscRingBuffer<std::int16_t> ring_;
  std::unique_ptr<Resampler> resampler_;  // null when rates are equal
  std::vector<std::int16_t> scratch_;
  std::vector<float> mono_;
  std::atomic<std::uint64_t> dropped_{0};
  std::atomic<std::uint64_t> host_overflows_{0};
  std::atomic<bool> finished_{false};
  bool stopped_ = false;
  bool flushed_ = false;
};

}  // namespace auris::audio
