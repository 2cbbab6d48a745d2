// Reading every supported format: exact sample values for PCM (checked
// against sox's own decoding), codec tolerance for lossy formats.
#include <doctest/doctest.h>

#include <cmath>
#include <numbers>

#include "audio_test_util.h"
#include "auris/audio/audio_reader.h"
#include "auris/audio/write.h"
#include "auris/core/error.h"

using namespace auris;
using namespace auris::audio;
using namespace auris::test;

namespace {

// A two-tone test file made by sox: 0.5 s at 16 kHz, 16-bit.
std::string MakeSource(const TempDir& dir) {
  const std::string path = dir / "src.wav";
  Run("sox -n -r 16000 -b 16 -c 1 '" + path + "' synth 0.5 sine 440 sine 1234 remix 1,2 gain -3");
  return path;
}

// Amplitude of the `freq` component (single-bin DFT), for lossy codecs.
double ToneAmplitude(const std::vector<float>& x, double freq, double rate) {
  double re = 0, im = 0;
  for (std::size_t i = 0; i < x.size(); ++i) {
    const double ph = 2 * std::numbers::pi * freq * static_cast<double>(i) / rate;
    re += x[i] * std::cos(ph);
    im += x[i] * std::sin(ph);
  }
  return 2 * std::hypot(re, im) / static_cast<double>(x.size());
}

}  // namespace

TEST_CASE("16-bit WAV gives exactly the int16 values (Kaldi scale)") {
  AURIS_SKIP_IF(!HaveSox(), "sox not installed");
  TempDir dir;
  const std::string src = MakeSource(dir);
  const std::vector<float> expected = SoxDecodeS16(src, dir / "src.raw");
  const Audio a = ReadAudio(src);
  CHECK(a.sample_rate == 16000);
  CHECK(a.num_channels == 1);
  REQUIRE(a.samples.size() == expected.size());
  CHECK(a.samples == expected);
  CHECK(a.DurationSeconds() == doctest::Approx(0.5));
  float peak = 0;
  for (float v : a.samples) peak = std::max(peak, std::abs(v));
  CHECK(peak > 10000);  // really int16 range, not [-1, 1)
}

TEST_CASE("8/24/32-bit, float WAV and FLAC decode to the same Kaldi-scale values") {
  AURIS_SKIP_IF(!HaveSox(), "sox not installed");
  TempDir dir;
  const std::string src = MakeSource(dir);
  const std::vector<float> expected = SoxDecodeS16(src, dir / "src.raw");
  // sox widens 16-bit samples exactly (v * 2^8, v * 2^16, v / 2^15).
  for (const std::string args : {"-b 24", "-b 32", "-e floating-point -b 32", "-b 16 -t flac",
                                 "-b 24 -t flac"}) {
    CAPTURE(args);
    const std::string ext = args.find("flac") != std::string::npos ? ".flac" : ".wav";
    const std::string path = dir / ("conv" + ext);
    Run("sox '" + src + "' " + args + " '" + path + "'");
    const Audio a = ReadAudio(path);
    CHECK(a.samples == expected);
  }
  // 8-bit: sox keeps the high byte (no dither with -D); Kaldi scale = byte * 256.
  const std::string path8 = dir / "u8.wav";
  Run("sox -D '" + src + "' -b 8 '" + path8 + "'");
  Run("sox '" + path8 + "' -t u8 '" + (dir / "u8.raw") + "'");
  const std::string raw = ReadFile(dir / "u8.raw");
  const Audio a8 = ReadAudio(path8);
  REQUIRE(a8.samples.size() == raw.size());
  for (std::size_t i = 0; i < raw.size(); ++i)
    REQUIRE(a8.samples[i] == (static_cast<unsigned char>(raw[i]) - 128) * 256.0f);
}

TEST_CASE("OGG/Vorbis (sox) and MP3 (libsndfile+LAME) decode within codec tolerance") {
  AURIS_SKIP_IF(!HaveSox(), "sox not installed");
  TempDir dir;
  const std::string src = MakeSource(dir);
  const Audio ref = ReadAudio(src);
  const double a440 = ToneAmplitude(ref.samples, 440, 16000);
  const double a1234 = ToneAmplitude(ref.samples, 1234, 16000);
  REQUIRE(a440 > 5000);

  const std::string ogg = dir / "x.ogg";
  Run("sox '" + src + "' '" + ogg + "'");
  std::string mp3 = dir / "x.mp3";
  WriteAudio(mp3, ref.samples, 16000, 1, {AudioContainer::kMp3, SampleEncoding::kLossy});
  for (const std::string& path : {ogg, mp3}) {
    CAPTURE(path);
    const Audio a = ReadAudio(path);
    CHECK(a.sample_rate == 16000);
    CHECK(a.num_channels == 1);
    // Vorbis is sample-exact in length; MP3 may pad by up to a frame (1152).
    CHECK(std::abs(static_cast<double>(a.NumFrames()) - 8000) <= 1152);
    // Lossy, but the tones keep their amplitude within 5 %.
    CHECK(ToneAmplitude(a.samples, 440, 16000) == doctest::Approx(a440).epsilon(0.05));
    CHECK(ToneAmplitude(a.samples, 1234, 16000) == doctest::Approx(a1234).epsilon(0.05));
  }
  // Vorbis has no codec delay in libsndfile: sample-wise error stays small.
  const Audio o = ReadAudio(ogg);
  REQUIRE(o.samples.size() == ref.samples.size());
  double err = 0, energy = 0;
  for (std::size_t i = 0; i < o.samples.size(); ++i) {
    err += std::pow(o.samples[i] - ref.samples[i], 2);
    energy += std::pow(ref.samples[i], 2);
  }
  CHECK(std::sqrt(err / energy) < 0.05);
}

TEST_CASE("decoding from memory equals decoding the file") {
  AURIS_SKIP_IF(!HaveSox(), "sox not installed");
  TempDir dir;
  const std::string src = MakeSource(dir);
  const std::string flac = dir / "x.flac";
  Run("sox '" + src + "' '" + flac + "'");
  for (const std::string& path : {src, flac}) {
    const Audio a = ReadAudio(path);
    const Audio b = ReadAudioFromMemory(ReadFile(path), "bytes of " + path);
    CHECK(a.sample_rate == b.sample_rate);
    CHECK(a.samples == b.samples);
  }
}

TEST_CASE("channels: Kaldi --channel semantics and mixing") {
  AURIS_SKIP_IF(!HaveSox(), "sox not installed");
  TempDir dir;
  const std::string stereo = dir / "st.wav";
  Run("sox -n -r 8000 -b 16 -c 2 '" + stereo + "' synth 0.2 sine 300 sine 700");
  Run("sox '" + stereo + "' '" + (dir / "l.wav") + "' remix 1");
  Run("sox '" + stereo + "' '" + (dir / "r.wav") + "' remix 2");
  const std::vector<float> l = SoxDecodeS16(dir / "l.wav", dir / "l.raw");
  const std::vector<float> r = SoxDecodeS16(dir / "r.wav", dir / "r.raw");
  const Audio a = ReadAudio(stereo);
  REQUIRE(a.num_channels == 2);
  CHECK(SelectChannel(a, 0) == l);
  CHECK(SelectChannel(a, 1) == r);
  std::string warning;
  CHECK(SelectChannel(a, -1, stereo, &warning) == l);
  CHECK(warning.find("channel not specified") != std::string::npos);
  CHECK(warning.find("2 channels") != std::string::npos);
  try {
    SelectChannel(a, 2, stereo);
    FAIL("no error for channel 2 of a stereo file");
  } catch (const Error& e) {
    CHECK(std::string(e.what()).find(stereo) != std::string::npos);
    CHECK(std::string(e.what()).find("--channel 2") != std::string::npos);
  }
  const std::vector<float> mono = MixToMono(a);
  REQUIRE(mono.size() == l.size());
  for (std::size_t i = 0; i < mono.size(); ++i) REQUIRE(mono[i] == doctest::Approx((l[i] + r[i]) / 2));
  // A mono file takes channel -1 silently.
  warning.clear();
  const Audio m = ReadAudio(dir / "l.wav");
  CHECK(SelectChannel(m, -1, "l.wav", &warning) == l);
  CHECK(warning.empty());
}

TEST_CASE("WriteWav round-trips through sox's decoder") {
  AURIS_SKIP_IF(!HaveSox(), "sox not installed");
  TempDir dir;
  std::vector<float> x(1000);
  for (std::size_t i = 0; i < x.size(); ++i)
    x[i] = static_cast<float>(std::lround(20000 * std::sin(0.01 * i * i)));
  x[10] = -32768;
  x[11] = 32767;
  for (auto e : {SampleEncoding::kPcm16, SampleEncoding::kPcm24, SampleEncoding::kPcm32,
                 SampleEncoding::kFloat}) {
    CAPTURE(static_cast<int>(e));
    const std::string path = dir / "w.wav";
    WriteWav(path, x, 22050, 1, e);
    CHECK(SoxDecodeS16(path, dir / "w.raw") == x);
    const Audio a = ReadAudio(path);
    CHECK(a.sample_rate == 22050);
    CHECK(a.samples == x);
  }
  // Clipping instead of wrap-around.
  WriteWav(dir / "c.wav", {40000.0f, -40000.0f}, 8000);
  CHECK(ReadAudio(dir / "c.wav").samples == std::vector<float>{32767, -32768});
  // No temporary file left behind.
  int files = 0;
  for (const auto& entry : std::filesystem::directory_iterator(dir.path()))
    files += entry.path().string().find(".tmp.") != std::string::npos;
  CHECK(files == 0);
}
