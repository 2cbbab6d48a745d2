// ListInputDevices and SelectInputDevice (declared in microphone.h).
#include <portaudio.h>

#include <algorithm>
#include <cctype>
#include <sstream>

#include "auris/audio/microphone.h"
#include "auris/core/error.h"
#include "portaudio_library.h"

namespace auris::audio {
namespace {

std::string Lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

bool AllDigits(const std::string& s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](unsigned char c) { return std::isdigit(c); });
}

std::string DeviceList(const std::vector<InputDevice>& devices) {
  std::ostringstream os;
  os << "available input devices:";
  for (const InputDevice& d : devices)
    os << " [" << d.index << "] \"" << d.name << "\" (" << d.host_api << ", " << d.default_rate
       << " Hz, " << d.max_channels << " ch)";
  return os.str();
}

}  // namespace

std::vector<InputDevice> ListInputDevices() {
  const std::shared_ptr<void> library = internal::AcquirePortAudio();
  const PaDeviceIndex count = Pa_GetDeviceCount();
  if (count < 0) throw MakeError("cannot list audio devices: ", internal::PortAudioErrorText(count));
  const PaDeviceIndex default_input = Pa_GetDefaultInputDevice();
  std::vector<InputDevice> devices;
  for (PaDeviceIndex i = 0; i < count; ++i) {
    const PaDeviceInfo* info = Pa_GetDeviceInfo(i);
    if (info == nullptr || info->maxInputChannels <= 0) continue;
    const PaHostApiInfo* api = Pa_GetHostApiInfo(info->hostApi);
    devices.push_back({i, info->name != nullptr ? info->name : "",
                       api != nullptr && api->name != nullptr ? api->name : "", info->defaultSampleRate,
                       info->maxInputChannels, i == default_input});
  }
  return devices;
}

InputDevice SelectInputDevice(const std::vector<InputDevice>& devices, const std::string& spec) {
  if (devices.empty())
    throw MakeError("no input device: the audio system reports no capture device (no microphone "
                    "connected, or no permission to use it)");
  if (spec.empty()) {
    for (const InputDevice& d : devices)
      if (d.is_default) return d;
    throw MakeError("no default input device; choose one with --device. ", DeviceList(devices));
  }
  if (AllDigits(spec)) {
    const long index = spec.size() > 9 ? -1 : std::stol(spec);
    for (const InputDevice& d : devices)
      if (d.index == index) return d;
    throw MakeError("input device ", spec, " not found (not an input-capable device index). ",
                    DeviceList(devices));
  }
  const std::string want = Lower(spec);
  for (const InputDevice& d : devices)
    if (Lower(d.name) == want) return d;
  for (const InputDevice& d : devices)
    if (Lower(d.name).find(want) != std::string::npos) return d;
  throw MakeError("input device \"", spec, "\" not found. ", DeviceList(devices));
}

}  // namespace auris::audio
