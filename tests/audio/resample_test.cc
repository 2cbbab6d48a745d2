// soxr resampling: against the analytic signal, against sox's own `rate`,
// anti-aliasing, and streaming == one-shot.
#include <doctest/doctest.h>

#include <cmath>
#include <numbers>
#include <random>

#include "audio_test_util.h"
#include "auris/audio/audio_reader.h"
#include "auris/audio/resample.h"
#include "auris/audio/write.h"
#include "tolerances.h"

using namespace auris;
using namespace auris::audio;
using namespace auris::test;

namespace {

std::vector<float> Sine(double freq, double rate, std::size_t n, double amp = 10000) {
  std::vector<float> x(n);
  for (std::size_t i = 0; i < n; ++i)
    x[i] = static_cast<float>(amp * std::sin(2 * std::numbers::pi * freq * i / rate));
  return x;
}

double Rms(const std::vector<float>& x, std::size_t from, std::size_t to) {
  double s = 0;
  for (std::size_t i = from; i < to; ++i) s += double{x[i]} * x[i];
  return std::sqrt(s / static_cast<double>(to - from));
}

}  // namespace

TEST_CASE("resampled sine matches the analytic sine at the new rate") {
  struct Case { double in, out, freq; };
  for (const Case c : {Case{44100, 16000, 1000}, Case{8000, 16000, 1500}, Case{48000, 22050, 3000},
                       Case{16000, 8000, 440}}) {
    CAPTURE(c.in);
    CAPTURE(c.out);
    const std::size_t n = static_cast<std::size_t>(c.in * 0.5);
    const std::vector<float> y = Resample(Sine(c.freq, c.in, n), c.in, c.out);
    CHECK(y.size() == static_cast<std::size_t>(std::llround(n * c.out / c.in)));
    const std::vector<float> expect = Sine(c.freq, c.out, y.size());
    // Away from the edges (filter start-up), the error is tiny.
    double max_err = 0;
    const std::size_t edge = static_cast<std::size_t>(c.out * 0.02);
    for (std::size_t i = edge; i + edge < y.size(); ++i)
      max_err = std::max(max_err, std::abs(double{y[i]} - expect[i]));
    CHECK(max_err / 10000 < tol::kResampleSineRel);
  }
}

TEST_CASE("downsampling removes content above the new Nyquist frequency") {
  // 7 kHz cannot exist at 8 kHz; a resampler without a low-pass would alias it to 1 kHz.
  const std::vector<float> y = Resample(Sine(7000, 16000, 16000), 16000, 8000);
  CHECK(Rms(y, 400, y.size() - 400) < 1e-3 * 10000 / std::sqrt(2.0));
}

TEST_CASE("streaming resampler output equals the one-shot output") {
  std::mt19937 rng(7);
  std::vector<float> x(20000);
  std::normal_distribution<float> noise(0, 3000);
  for (float& v : x) v = noise(rng);
  for (auto [in, out] : {std::pair{16000.0, 8000.0}, std::pair{8000.0, 16000.0},
                         std::pair{44100.0, 16000.0}, std::pair{22050.0, 16000.0}}) {
    CAPTURE(in);
    CAPTURE(out);
    const std::vector<float> once = Resample(x, in, out);
    for (int trial = 0; trial < 3; ++trial) {
      Resampler r(in, out);
      std::vector<float> streamed;
      std::size_t pos = 0;
      while (pos < x.size()) {
        const std::size_t max_chunk = trial == 0 ? 1 : trial == 1 ? 37 : 5000;
        const std::size_t n = std::min<std::size_t>(x.size() - pos, 1 + rng() % max_chunk);
        r.Process(x.data() + pos, n, &streamed);
        pos += n;
      }
      r.Flush(&streamed);
      REQUIRE(streamed.size() == once.size());
      double max_diff = 0;
      for (std::size_t i = 0; i < once.size(); ++i)
        max_diff = std::max(max_diff, double{std::abs(streamed[i] - once[i])});
      CHECK(max_diff <= tol::kResampleStreamAbs);
      // Reset() starts a fresh signal.
      r.Reset();
      std::vector<float> again;
      r.Process(x.data(), x.size(), &again);
      r.Flush(&again);
      CHECK(again.size() == once.size());
    }
  }
}

TEST_CASE("soxr agrees with sox's own rate effect on real speech") {
  AURIS_SKIP_IF(!HaveSox(), "sox not installed");
  AURIS_SKIP_IF(FsddDir().empty(), "FSDD not found");
  TempDir dir;
  const std::string src = FsddDir() + "/0_george_0.wav";
  const Audio a = ReadAudio(src);
  REQUIRE(a.sample_rate == 8000);
  Run("sox '" + src + "' -e floating-point -b 32 '" + (dir / "up.wav") + "' rate -h 16000");
  const Audio ref = ReadAudio(dir / "up.wav");
  const std::vector<float> y = Resample(a.samples, 8000, 16000);
  REQUIRE(std::abs(static_cast<long>(y.size()) - static_cast<long>(ref.samples.size())) <= 1);
  const std::size_t n = std::min(y.size(), ref.samples.size());
  double max_err = 0;
  for (std::size_t i = 200; i + 200 < n; ++i)
    max_err = std::max(max_err, std::abs(double{y[i]} - ref.samples[i]));
  MESSAGE("max |soxr - sox rate -h| = " << max_err << " (int16 scale)");
  CHECK(max_err < tol::kResampleVsSoxAbs);
}
