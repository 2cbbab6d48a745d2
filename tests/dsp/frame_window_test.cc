// Frame arithmetic, window functions and the per-frame signal stage, checked
// against values computed by hand from Kaldi's definitions.
#include <cfloat>
#include <cmath>
#include <vector>

#include "auris/dsp/feature_extractor.h"
#include "auris/dsp/feature_window.h"
#include "test_support.h"

namespace auris::dsp {
namespace {

TEST_CASE("frame counts and first samples follow Kaldi (16 kHz, 25/10 ms)") {
  FrameOptions f;
  REQUIRE(f.WindowSize() == 400);
  REQUIRE(f.WindowShift() == 160);
  REQUIRE(f.PaddedWindowSize() == 512);
  CHECK(NumFrames(0, f) == 0);
  CHECK(NumFrames(399, f) == 0);
  CHECK(NumFrames(400, f) == 1);
  CHECK(NumFrames(559, f) == 1);
  CHECK(NumFrames(560, f) == 2);
  CHECK(NumFrames(16000, f) == 98);
  CHECK(FirstSampleOfFrame(3, f) == 480);
  f.snip_edges = false;
  // Frame t is centred on t * 160 + 80: starts at t * 160 - 120.
  CHECK(FirstSampleOfFrame(0, f) == -120);
  CHECK(FirstSampleOfFrame(1, f) == 40);
  CHECK(NumFrames(16000, f, true) == 100);   // (16000 + 80) / 160
  CHECK(NumFrames(16000, f, false) == 99);   // frame 98 ends at 15960, frame 99 at 16120
  CHECK(NumFrames(79, f, true) == 0);
  CHECK(NumFrames(80, f, true) == 1);
  CHECK(NumFrames(0, f, false) == 0);
}

TEST_CASE("derived sizes at other rates and without power-of-two rounding") {
  FrameOptions f;
  f.sample_frequency_hz = 22050;
  CHECK(f.WindowSize() == 551);
  CHECK(f.WindowShift() == 220);
  CHECK(f.PaddedWindowSize() == 1024);
  f.sample_frequency_hz = 44100;
  f.round_to_power_of_two = false;
  CHECK(f.WindowSize() == 1102);
  CHECK(f.PaddedWindowSize() == 1102);
}

std::vector<double> Window(const char* type, int n, bool periodic = false) {
  FrameOptions f;
  f.sample_frequency_hz = 1000;  // 1 sample per ms
  f.frame_length_ms = static_cast<float>(n);
  f.window_type = type;
  f.periodic_window = periodic;
  return MakeWindow(f);
}

TEST_CASE("stacked framing: n times the shift, each frame centred on its group of n frames") {
  for (float rate : {8000.0f, 16000.0f, 22050.0f, 44100.0f})
    for (bool snip : {true, false})
      for (int n : {1, 2, 3, 4}) {
        FrameOptions f;
        f.sample_frequency_hz = rate;
        f.snip_edges = snip;
        const FrameOptions s = StackedFraming(f, n);
        CAPTURE(rate);
        CAPTURE(snip);
        CAPTURE(n);
        CHECK(s.WindowShift() == n * f.WindowShift());
        CHECK(s.WindowSize() == f.WindowSize() + (n - 1) * f.WindowShift());
        for (std::int64_t j : {0, 1, 7, 1000}) {
          const double group = (FrameCentreSeconds(j * n, f) + FrameCentreSeconds(j * n + n - 1, f)) / 2;
          // Exact but for Kaldi's integer halves of odd shifts and window
          // sizes (snip_edges = false): within one sample.
          CHECK(std::abs(FrameCentreSeconds(j, s) - group) <= 1.0 / rate + 1e-12);
        }
      }
}

TEST_CASE("window functions") {
  using V = std::vector<double>;
  auto near = [](const V& a, const V& b) {
    REQUIRE(a.size() == b.size());
    for (std::size_t i = 0; i < a.size(); ++i) CHECK(a[i] == doctest::Approx(b[i]).epsilon(1e-7));
  };
  near(Window("hanning", 5), V{0, 0.5, 1, 0.5, 0});
  near(Window("hamming", 5), V{0.08, 0.54, 1, 0.54, 0.08});
  const double p = std::pow(0.5, 0.85);
  near(Window("povey", 5), V{0, p, 1, p, 0});
  near(Window("rectangular", 5), V{1, 1, 1, 1, 1});
  // 0.42 - 0.5 cos(a i) + 0.08 cos(2 a i), a = 2 pi / 4 (blackman_coeff is the float 0.42f).
  near(Window("blackman", 5), V{0, 0.34, 1, 0.34, 0});
  near(Window("hanning", 4, /*periodic=*/true), V{0, 0.5, 1, 0.5});
}

TEST_CASE("window stage: DC removal, raw energy, pre-emphasis, window, padding") {
  FrameOptions f;
  f.sample_frequency_hz = 1000;
  f.frame_length_ms = 5;
  f.frame_shift_ms = 1;
  f.window_type = "rectangular";
  WindowProcessor wp(f);
  REQUIRE(f.PaddedWindowSize() == 8);
  float frame[5] = {1, 2, 3, 4, 5};
  std::vector<float> out(8, 99.0f);
  const float energy = wp.Process(frame, true, out.data());
  // Mean 3 removed: -2 -1 0 1 2, energy 10; y[i] = x[i] - 0.97 x[i-1], y[0] = 0.03 x[0].
  CHECK(energy == doctest::Approx(std::log(10.0)).epsilon(1e-6));
  const float expect[8] = {-0.06f, 0.94f, 0.97f, 1.0f, 1.03f, 0, 0, 0};
  for (int i = 0; i < 8; ++i) CHECK(out[i] == doctest::Approx(expect[i]).epsilon(1e-6));

  f.remove_dc_offset = false;
  f.preemph_coeff = 0;
  f.window_type = "hanning";
  WindowProcessor plain(f);
  float frame2[5] = {1, 2, 3, 4, 5};
  plain.Process(frame2, false, out.data());
  const float expect2[5] = {0, 1, 3, 2, 0};
  for (int i = 0; i < 5; ++i) CHECK(out[i] == doctest::Approx(expect2[i]).epsilon(1e-6));
}

TEST_CASE("digital silence: log floors as Kaldi (FLT_EPSILON), energy floor") {
  const std::vector<float> zeros(4000, 0.0f);
  const double log_eps = std::log(static_cast<double>(FLT_EPSILON));
  FeatureOptions o;  // MFCC: energy replaces C0, other cepstra of a flat log-mel are 0
  Matrix m = ComputeFeatures(o, zeros.data(), zeros.size());
  REQUIRE(m.rows() == 23);
  CHECK(m(5, 0) == doctest::Approx(log_eps));
  for (Eigen::Index t = 0; t < m.rows(); ++t)
    for (Eigen::Index d = 1; d < 13; ++d) CHECK(std::abs(m(t, d)) < 1e-4f);
  // No energy, htk_compat: C0 = sqrt(23) * log_eps moved last and times sqrt(2).
  o.mfcc.use_energy = false;
  o.mfcc.htk_compat = true;
  m = ComputeFeatures(o, zeros.data(), zeros.size());
  CHECK(m(0, 12) == doctest::Approx(std::sqrt(46.0) * log_eps).epsilon(1e-5));
  // Energy floor 1.0: log energy becomes 0.
  o.mfcc.use_energy = true;
  o.mfcc.energy_floor = 1.0f;
  m = ComputeFeatures(o, zeros.data(), zeros.size());
  CHECK(m(0, 12) == 0.0f);
  o.type = "fbank";
  m = ComputeFeatures(o, zeros.data(), zeros.size());
  CHECK(m.cols() == 23);
  for (Eigen::Index i = 0; i < m.size(); ++i) CHECK(m.data()[i] == doctest::Approx(log_eps));
  o.type = "spectrogram";
  m = ComputeFeatures(o, zeros.data(), zeros.size());
  CHECK(m.cols() == 257);
  CHECK(m(0, 0) == doctest::Approx(log_eps));
}

}  // namespace
}  // namespace auris::dsp
