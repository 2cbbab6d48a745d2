// Every per-ISA feature kernel set this CPU runs (src/dsp/isa/) against a
// float64 reference and against the baseline set.
//
// What "the same" means: a set is deterministic, bit for bit; across sets the
// vector width changes the order of partial sums and AVX2 / AVX-512 fuse
// multiply-adds, so values agree within kCrossIsaRel of the scale of their
// terms (and each set is within float rounding of the float64 reference).
#include <doctest/doctest.h>

#include <algorithm>
#include <cfloat>
#include <cmath>
#include <complex>
#include <string>
#include <vector>

#include "auris/core/isa.h"
#include "auris/core/rng.h"
#include "auris/dsp/mel_banks.h"
#include "dsp/isa/kernels.h"
#include "test_support.h"

namespace auris::dsp::isa {
namespace {

constexpr double kCrossIsaRel = 1e-6;

std::vector<float> Gaussian(int n, std::uint64_t seed, double scale = 1.0, double offset = 0.0) {
  Rng rng(seed);
  std::vector<float> x(n);
  for (float& v : x) v = static_cast<float>(offset + scale * rng.Gaussian());
  return x;
}

// Worst |got - want| / scale over i, checked against bound.
double Worst(const std::vector<float>& got, const std::vector<double>& want, const std::vector<double>& scale,
             double bound, const std::string& what) {
  double worst = 0;
  for (std::size_t i = 0; i < want.size(); ++i) {
    const double rel = std::abs(got[i] - want[i]) / scale[i];
    CHECK_MESSAGE(rel <= bound, what << " [" << i << "]: " << got[i] << " vs " << want[i]);
    worst = std::max(worst, rel);
  }
  return worst;
}

// DC removal, pre-emphasis and window in double, Kaldi's definition.
void CheckWindow(const Kernels& k, const Kernels& base, const std::string& name) {
  for (int n : {3, 37, 400, 512}) {
    for (bool dc : {false, true}) {
      const std::vector<float> x = Gaussian(n, 11 + n, 3000.0, 500.0), w = Gaussian(n, 7 + n);
      const float c = 0.97f;
      double mean = 0;
      if (dc)
        for (float v : x) mean += v / static_cast<double>(n);
      std::vector<double> want(n), scale(n);
      double energy = 0;
      for (int i = 0; i < n; ++i) {
        const double prev = x[i > 0 ? i - 1 : 0] - mean, cur = x[i] - mean;
        want[i] = (cur - c * prev) * w[i];
        scale[i] = (std::abs(x[i]) + c * std::abs(x[i > 0 ? i - 1 : 0]) + std::abs(mean)) * std::abs(w[i]);
        energy += cur * cur;
      }
      std::vector<float> out(n, NAN), base_out(n, NAN);
      const double e = k.window_frame(x.data(), n, dc, c, w.data(), out.data());
      base.window_frame(x.data(), n, dc, c, w.data(), base_out.data());
      std::vector<float> again(n, NAN);
      CHECK(k.window_frame(x.data(), n, dc, c, w.data(), again.data()) == e);
      CHECK(again == out);
      const std::string what = name + " window n=" + std::to_string(n) + (dc ? " dc" : "");
      Worst(out, want, scale, 4 * FLT_EPSILON, what + " vs float64");
      std::vector<double> base_d(base_out.begin(), base_out.end());
      Worst(out, base_d, scale, kCrossIsaRel, what + " vs baseline");
      CHECK_MESSAGE(std::abs(e - energy) <= 1e-5 * energy, what << " energy " << e << " vs " << energy);
    }
  }
}

// The half-size complex DFT of a real frame (what FFTW gives RealFft), the
// twiddles, and the frame's power spectrum, all from double.
struct Spectrum {
  std::vector<float> z, wr, wi;
  std::vector<double> power, scale;  // |X_k|^2; |Z_k|^2 + |Z_{M-k}|^2
};

Spectrum MakeSpectrum(const std::vector<float>& x) {
  const int n = static_cast<int>(x.size()), half = n / 2;
  Spectrum s;
  std::vector<std::complex<double>> z(half + 1);
  for (int k = 0; k < half; ++k)
    for (int m = 0; m < half; ++m)
      z[k] += std::complex<double>(x[2 * m], x[2 * m + 1]) * std::polar(1.0, -2.0 * M_PI * k * m / half);
  z[half] = z[0];
  for (const auto& v : z) {
    s.z.push_back(static_cast<float>(v.real()));
    s.z.push_back(static_cast<float>(v.imag()));
  }
  for (int k = 0; k <= half; ++k) {
    s.wr.push_back(static_cast<float>(std::cos(-2.0 * M_PI * k / n)));
    s.wi.push_back(static_cast<float>(std::sin(-2.0 * M_PI * k / n)));
    std::complex<double> xk;
    for (int i = 0; i < n; ++i) xk += static_cast<double>(x[i]) * std::polar(1.0, -2.0 * M_PI * k * i / n);
    s.power.push_back(std::norm(xk));
    s.scale.push_back(std::norm(z[k]) + std::norm(z[half - k]));
  }
  return s;
}

void CheckPower(const Kernels& k, const Kernels& base, const std::string& name) {
  for (int n : {16, 40, 512}) {
    const Spectrum s = MakeSpectrum(Gaussian(n, 5 + n));
    const int half = n / 2;
    std::vector<float> power(half + 1, NAN), base_power(half + 1, NAN);
    CHECK_FALSE(k.power_spectrum(s.z.data(), half, s.wr.data(), s.wi.data(), power.data()));  // noise: no redo
    base.power_spectrum(s.z.data(), half, s.wr.data(), s.wi.data(), base_power.data());
    const std::string what = name + " power n=" + std::to_string(n);
    Worst(power, s.power, s.scale, 1e-5, what + " vs float64");
    std::vector<double> base_d(base_power.begin(), base_power.end());
    Worst(power, base_d, s.scale, kCrossIsaRel, what + " vs baseline");
  }
  // A loud tone at bin 3 and nothing near its mirror (bin 253 of 512): the
  // float split cancels there, so every set asks for the double redo.
  std::vector<float> tone(512);
  for (int i = 0; i < 512; ++i) tone[i] = static_cast<float>(1e4 * std::cos(2 * M_PI * 3 * i / 512.0 + 0.3));
  const Spectrum s = MakeSpectrum(tone);
  std::vector<float> power(257);
  CHECK_MESSAGE(k.power_spectrum(s.z.data(), 256, s.wr.data(), s.wi.data(), power.data()), name << " tone: no redo");
}

void CheckMel(const Kernels& k, const Kernels& base, const std::string& name) {
  // 23 filters of 1 to 4 kLanes-wide vectors over a 257-bin spectrum.
  const int num_bins = 23, lanes = MelBanks::kLanes;
  std::vector<int> offset, first, vectors;
  std::vector<float> weights;
  for (int i = 0; i < num_bins; ++i) {
    offset.push_back(static_cast<int>(weights.size()));
    first.push_back(7 * i);
    vectors.push_back(1 + i % 4);
    const std::vector<float> w = Gaussian(vectors.back() * lanes, 100 + i);
    weights.insert(weights.end(), w.begin(), w.end());
  }
  std::vector<float> spectrum = Gaussian(257, 3);
  for (float& v : spectrum) v = v * v;
  std::vector<double> want(num_bins), scale(num_bins);
  for (int i = 0; i < num_bins; ++i)
    for (int j = 0; j < vectors[i] * lanes; ++j) {
      const double t = static_cast<double>(weights[offset[i] + j]) * spectrum[first[i] + j];
      want[i] += t;
      scale[i] += std::abs(t);
    }
  std::vector<float> mel(num_bins, NAN), base_mel(num_bins, NAN);
  k.mel_banks(weights.data(), offset.data(), first.data(), vectors.data(), num_bins, spectrum.data(), mel.data());
  base.mel_banks(weights.data(), offset.data(), first.data(), vectors.data(), num_bins, spectrum.data(),
                 base_mel.data());
  Worst(mel, want, scale, 32 * FLT_EPSILON, name + " mel vs float64");
  std::vector<double> base_d(base_mel.begin(), base_mel.end());
  Worst(mel, base_d, scale, kCrossIsaRel, name + " mel vs baseline");
}

void CheckLog(const Kernels& k, const std::string& name) {
  std::vector<float> x;
  for (int e = -40; e <= 38; e += 2) x.push_back(std::pow(10.0f, static_cast<float>(e)) * 1.37f);
  x.push_back(0.0f);
  x.push_back(-5.0f);
  x.push_back(INFINITY);
  x.push_back(NAN);
  const float offset = 1e-6f, floor = FLT_MIN;
  x.resize((x.size() + 15) / 16 * 16, 1.0f);
  std::vector<float> got = x;
  k.log_floored(got.data(), static_cast<int>(got.size()), offset, floor);
  for (std::size_t i = 0; i < x.size(); ++i) {
    const float v = x[i] + offset;
    const double want = std::log(static_cast<double>(v < floor ? floor : v));
    if (std::isnan(x[i])) {
      CHECK_MESSAGE(std::isnan(got[i]), name << " log(NaN) = " << got[i]);
    } else if (std::isinf(want)) {
      CHECK(got[i] == want);
    } else {
      CHECK_MESSAGE(std::abs(got[i] - want) <= 4 * FLT_EPSILON * std::max(1.0, std::abs(want)),
                    name << " log(" << v << ") = " << got[i] << " vs " << want);
    }
  }
}

void CheckDct(const Kernels& k, const Kernels& base, const std::string& name) {
  for (int num_ceps : {1, 13, 20}) {
    const int num_bins = 23, stride = (num_ceps + kMaxLanes - 1) / kMaxLanes * kMaxLanes;
    std::vector<float> dct(static_cast<std::size_t>(num_bins) * stride, 0.0f);
    const std::vector<float> values = Gaussian(num_bins * num_ceps, 40 + num_ceps), mel = Gaussian(num_bins, 9, 5.0);
    for (int j = 0; j < num_bins; ++j)
      for (int c = 0; c < num_ceps; ++c) dct[j * stride + c] = values[j * num_ceps + c];
    std::vector<double> want(num_ceps), scale(num_ceps);
    for (int c = 0; c < num_ceps; ++c)
      for (int j = 0; j < num_bins; ++j) {
        want[c] += static_cast<double>(dct[j * stride + c]) * mel[j];
        scale[c] += std::abs(static_cast<double>(dct[j * stride + c]) * mel[j]);
      }
    // One float past num_ceps: the kernel must not write it.
    std::vector<float> out(num_ceps + 1, NAN), base_out(num_ceps + 1, NAN);
    k.dct(dct.data(), stride, mel.data(), num_bins, num_ceps, out.data());
    base.dct(dct.data(), stride, mel.data(), num_bins, num_ceps, base_out.data());
    CHECK(std::isnan(out[num_ceps]));
    out.pop_back();
    base_out.pop_back();
    const std::string what = name + " dct " + std::to_string(num_ceps);
    Worst(out, want, scale, 32 * FLT_EPSILON, what + " vs float64");
    std::vector<double> base_d(base_out.begin(), base_out.end());
    Worst(out, base_d, scale, kCrossIsaRel, what + " vs baseline");
  }
}

void CheckSet(Isa isa) {
  const Kernels* k = KernelsFor(isa);
  REQUIRE(k != nullptr);
  const Kernels& base = *KernelsFor(Isa::kBaseline);
  const std::string name = IsaName(isa);
  CheckWindow(*k, base, name);
  CheckPower(*k, base, name);
  CheckMel(*k, base, name);
  CheckLog(*k, name);
  CheckDct(*k, base, name);
}

TEST_CASE("baseline feature kernels against a float64 reference") { CheckSet(Isa::kBaseline); }

TEST_CASE("avx2 feature kernels against the baseline ones") {
  AURIS_SKIP_IF(!CpuSupports(Isa::kAvx2), "this CPU lacks AVX2 + FMA (x86-64-v3)");
  AURIS_SKIP_IF(KernelsFor(Isa::kAvx2) == nullptr, "this build has no avx2 kernels (not x86-64)");
  CheckSet(Isa::kAvx2);
}

TEST_CASE("avx512 feature kernels against the baseline ones") {
  AURIS_SKIP_IF(!CpuSupports(Isa::kAvx512), "this CPU lacks AVX-512 (x86-64-v4)");
  AURIS_SKIP_IF(KernelsFor(Isa::kAvx512) == nullptr, "this build has no avx512 kernels (not x86-64)");
  CheckSet(Isa::kAvx512);
}

}  // namespace
}  // namespace auris::dsp::isa
