// Microphone capture through the real PortAudio + ALSA path, with
// ../shared/testing/virtual-mic (an ALSA capture device that plays a raw
// file). The feed file is the independent reference: captured samples must
// equal its samples (16 kHz device) or soxr's one-shot resampling of them
// (48 kHz device). The environment is set before each microphone is opened;
// PortAudio is terminated between test cases (no handle outlives a case), so
// each case's environment takes effect.
#include <doctest/doctest.h>

#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "auris/audio/microphone.h"
#include "auris/audio/resample.h"
#include "auris/core/error.h"
#include "test_support.h"
#include "tolerances.h"

using namespace auris;
using namespace auris::audio;
using namespace auris::test;

namespace {

std::string VirtualMicConfig() {
  const std::string path = std::string(AURIS_SHARED_DIR) + "/testing/virtual-mic/asound.conf";
  return std::filesystem::exists(path) ? path : "";
}

// Random int16 noise plus a sine: no two stretches alike, so a gap or an
// offset in the capture cannot go unnoticed.
std::vector<std::int16_t> MakeFeed(std::size_t n, unsigned seed) {
  std::mt19937 rng(seed);
  std::uniform_int_distribution<int> noise(-3000, 3000);
  std::vector<std::int16_t> x(n);
  for (std::size_t i = 0; i < n; ++i)
    x[i] = static_cast<std::int16_t>(noise(rng) + 8000 * std::sin(0.01 * static_cast<double>(i)));
  return x;
}

// Writes the feed as raw s16le followed by a sparse zero tail (the virtual
// device repeats stale data at end of file) and points the device at it.
void UseFeed(const TempDir& dir, const std::vector<std::int16_t>& feed, int rate) {
  const std::string path = dir / "feed.raw";
  std::string bytes(feed.size() * 2, '\0');
  for (std::size_t i = 0; i < feed.size(); ++i) {
    const auto v = static_cast<std::uint16_t>(feed[i]);
    bytes[2 * i] = static_cast<char>(v & 0xff);
    bytes[2 * i + 1] = static_cast<char>(v >> 8);
  }
  WriteFile(path, bytes);
  std::filesystem::resize_file(path, 64u << 20);
  setenv("ALSA_CONFIG_PATH", VirtualMicConfig().c_str(), 1);
  setenv("VMIC_FILE", path.c_str(), 1);
  setenv("VMIC_RATE", std::to_string(rate).c_str(), 1);
}

// Reads until at least n samples are captured.
std::vector<float> Capture(Microphone& mic, std::size_t n) {
  std::vector<float> out;
  while (out.size() < n) mic.Read(&out, 2.0);
  return out;
}

MicrophoneOptions WithDevice(std::string device) {
  MicrophoneOptions o;
  o.device = std::move(device);
  return o;
}

std::string ErrorOf(const MicrophoneOptions& o) {
  try {
    Microphone mic(o);
  } catch (const Error& e) {
    return e.what();
  }
  return "";
}

}  // namespace

TEST_CASE("microphone at the device's 16 kHz returns the feed's samples exactly") {
  AURIS_SKIP_IF(VirtualMicConfig().empty(), "../shared/testing/virtual-mic absent");
  TempDir dir;
  const std::vector<std::int16_t> feed = MakeFeed(24000, 1);
  UseFeed(dir, feed, 16000);
  MicrophoneOptions o;
  o.target_rate_hz = 16000;
  o.buffer_seconds = 4;
  const auto t0 = std::chrono::steady_clock::now();
  Microphone mic(o);
  std::vector<float> out;
  mic.Read(&out, 2.0);
  const double first_ms =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
  MESSAGE("open + first samples: " << first_ms << " ms (" << out.size() << " samples)");
  while (out.size() < feed.size()) mic.Read(&out, 2.0);
  CHECK(mic.DeviceRate() == 16000);
  CHECK(mic.DeviceName() == "default");
  CHECK(mic.DeviceChannels() == 1);  // ALSA "default" reports 128 channels: a mixer, opened mono
  std::size_t mismatches = 0;
  for (std::size_t i = 0; i < feed.size(); ++i) mismatches += out[i] != static_cast<float>(feed[i]);
  CHECK(mismatches == 0);
  // Zeros follow the feed (the padding), not stale or shifted data.
  while (out.size() < feed.size() + 1600) mic.Read(&out, 2.0);
  std::size_t nonzero = 0;
  for (std::size_t i = feed.size(); i < feed.size() + 1600; ++i) nonzero += out[i] != 0.0f;
  CHECK(nonzero == 0);
}

TEST_CASE("microphone at 48 kHz resampled to 16 kHz equals one-shot soxr of the feed") {
  AURIS_SKIP_IF(VirtualMicConfig().empty(), "../shared/testing/virtual-mic absent");
  TempDir dir;
  const std::vector<std::int16_t> feed = MakeFeed(48000, 2);
  UseFeed(dir, feed, 48000);
  MicrophoneOptions o;
  o.target_rate_hz = 16000;
  o.buffer_seconds = 4;
  Microphone mic(o);
  CHECK(mic.DeviceRate() == 48000);
  const std::vector<float> out = Capture(mic, 16000);
  // The device continues with zeros after the feed; so does the reference.
  std::vector<float> padded(feed.begin(), feed.end());
  padded.resize(feed.size() + 24000, 0.0f);
  const std::vector<float> ref = Resample(padded, 48000, 16000);
  double max_diff = 0;
  for (std::size_t i = 0; i < 16000; ++i) max_diff = std::max(max_diff, double{std::abs(out[i] - ref[i])});
  MESSAGE("max |stream - one-shot| = " << max_diff);
  CHECK(max_diff <= tol::kResampleStreamAbs);
}

TEST_CASE("microphone counts samples dropped when the reader falls behind") {
  AURIS_SKIP_IF(VirtualMicConfig().empty(), "../shared/testing/virtual-mic absent");
  TempDir dir;
  const std::vector<std::int16_t> feed = MakeFeed(16000, 3);
  UseFeed(dir, feed, 16000);
  MicrophoneOptions o;
  o.buffer_seconds = 0.1;  // 1600 samples
  Microphone mic(o);
  // The virtual device is not paced: it fills the ring at once.
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  CHECK(mic.Overflows() > 0);
  const std::vector<float> out = Capture(mic, 3200);
  // The ring keeps the oldest samples; what follows comes after a gap.
  for (std::size_t i = 0; i < 1600; ++i) REQUIRE(out[i] == static_cast<float>(feed[i]));
  std::size_t same = 0;
  for (std::size_t i = 1600; i < 3200; ++i) same += out[i] == static_cast<float>(feed[i]);
  CHECK(same < 100);
  MESSAGE("dropped " << mic.Overflows() << " samples, host overflows " << mic.HostOverflows());
}

TEST_CASE("microphone Stop is idempotent and Read then drains the rest") {
  AURIS_SKIP_IF(VirtualMicConfig().empty(), "../shared/testing/virtual-mic absent");
  TempDir dir;
  const std::vector<std::int16_t> feed = MakeFeed(8000, 4);
  UseFeed(dir, feed, 48000);
  MicrophoneOptions o;
  Microphone mic(o);
  std::vector<float> out = Capture(mic, 100);
  mic.Stop();
  mic.Stop();
  mic.Read(&out, 0.1);  // the remainder and the resampler's tail
  std::vector<float> after;
  CHECK(mic.Read(&after, 0.1) == 0);
  CHECK(after.empty());
}

TEST_CASE("no input device: empty list and a clear error") {
  AURIS_SKIP_IF(VirtualMicConfig().empty(), "../shared/testing/virtual-mic absent");
  TempDir dir;
  setenv("ALSA_CONFIG_PATH", VirtualMicConfig().c_str(), 1);
  setenv("VMIC_FILE", (dir / "missing.raw").c_str(), 1);
  unsetenv("VMIC_RATE");
  CHECK(ListInputDevices().empty());
  const std::string error = ErrorOf(MicrophoneOptions{});
  CHECK(error.find("no input device") != std::string::npos);
}

TEST_CASE("unknown device name or index: the error lists the devices") {
  AURIS_SKIP_IF(VirtualMicConfig().empty(), "../shared/testing/virtual-mic absent");
  TempDir dir;
  UseFeed(dir, MakeFeed(100, 5), 16000);
  std::string error = ErrorOf(WithDevice("no-such-microphone"));
  CHECK(error.find("\"no-such-microphone\" not found") != std::string::npos);
  CHECK(error.find("[0] \"default\" (ALSA, 16000 Hz") != std::string::npos);
  error = ErrorOf(WithDevice("7"));
  CHECK(error.find("input device 7 not found") != std::string::npos);
  CHECK(error.find("[0] \"default\"") != std::string::npos);
  // By index and by case-insensitive name, the virtual device opens.
  for (const char* spec : {"0", "DEFAULT", "fau"}) {
    CAPTURE(spec);
    Microphone mic(WithDevice(spec));
    CHECK(mic.Device().index == 0);
  }
}

TEST_CASE("SelectInputDevice: default, index, exact name before substring, case-insensitive") {
  const std::vector<InputDevice> devices = {
      {1, "USB Mic Array", "ALSA", 48000, 4, false},
      {3, "mic", "ALSA", 44100, 1, true},
      {5, "Headset MIC", "PulseAudio", 16000, 1, false},
  };
  CHECK(SelectInputDevice(devices, "").index == 3);
  CHECK(SelectInputDevice(devices, "5").index == 5);
  CHECK(SelectInputDevice(devices, "MIC").index == 3);       // exact, though 1 contains it too
  CHECK(SelectInputDevice(devices, "headset").index == 5);   // substring
  CHECK(SelectInputDevice(devices, "usb mic").index == 1);
  CHECK_THROWS_WITH_AS(SelectInputDevice(devices, "2"), doctest::Contains("input device 2 not found"), Error);
  CHECK_THROWS_WITH_AS(SelectInputDevice({}, ""), doctest::Contains("no input device"), Error);
  std::vector<InputDevice> no_default = devices;
  for (InputDevice& d : no_default) d.is_default = false;
  CHECK_THROWS_WITH_AS(SelectInputDevice(no_default, ""), doctest::Contains("[5] \"Headset MIC\""), Error);
}

TEST_CASE("MicrophoneOptions validation") {
  MicrophoneOptions o;
  CHECK_NOTHROW(o.Validate());
  o.target_rate_hz = 0;
  CHECK_THROWS_WITH_AS(o.Validate(), doctest::Contains("target_rate_hz"), Error);
  o = {};
  o.buffer_seconds = -1;
  CHECK_THROWS_WITH_AS(o.Validate(), doctest::Contains("buffer_seconds"), Error);
  o = {};
  o.channels = 3;
  CHECK_THROWS_WITH_AS(o.Validate(), doctest::Contains("channels"), Error);
  CHECK(MicrophoneOptions{}.ToString().find("target_rate_hz=16000") != std::string::npos);
}
