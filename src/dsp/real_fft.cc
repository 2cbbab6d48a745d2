#include "auris/dsp/real_fft.h"

#include <fftw3.h>

#include <cmath>
#include <map>
#include <mutex>
#include <new>

#include "auris/core/error.h"

namespace auris::dsp {

namespace {

// Process-wide complex plans of size n/2, one per size, never destroyed
// (small, reused by every extractor). FFTW_ESTIMATE keeps plans — and so
// results — identical from run to run; FFTW_MEASURE would pick by timing.
fftwf_plan HalfSizePlan(int half) {
  static std::mutex mutex;
  static std::map<int, fftwf_plan>* plans = new std::map<int, fftwf_plan>();
  std::lock_guard<std::mutex> lock(mutex);
  auto it = plans->find(half);
  if (it != plans->end()) return it->second;
  fftwf_complex* in = fftwf_alloc_complex(half);
  fftwf_complex* out = fftwf_alloc_complex(half);
  fftwf_plan plan = fftwf_plan_dft_1d(half, in, out, FFTW_FORWARD, FFTW_ESTIMATE);
  fftwf_free(in);
  fftwf_free(out);
  if (plan == nullptr) throw MakeError("FFTW could not plan a complex FFT of size ", half);
  plans->emplace(half, plan);
  return plan;
}

}  // namespace

RealFft::RealFft(int n) : n_(n) {
  if (n < 2 || n % 2 != 0) throw MakeError("RealFft: size ", n, " must be even and >= 2");
  const int half = n / 2;
  plan_ = HalfSizePlan(half);
  // fftwf_alloc gives the SIMD alignment the plan was made for.
  in_ = fftwf_alloc_real(n);
  half_ = reinterpret_cast<std::complex<float>*>(fftwf_alloc_complex(half));
  if (in_ == nullptr || half_ == nullptr) {
    fftwf_free(in_);
    fftwf_free(half_);
    throw std::bad_alloc();
  }
  twiddle_re_.resize(half + 1);
  twiddle_im_.resize(half + 1);
  reversed_.resize(2 * half);
  for (int k = 0; k <= half; ++k) {
    const double angle = -2.0 * M_PI * k / n;
    twiddle_re_[k] = static_cast<float>(std::cos(angle));
    twiddle_im_[k] = static_cast<float>(std::sin(angle));
  }
}

RealFft::RealFft(RealFft&& other) noexcept
    : n_(other.n_),
      in_(other.in_),
      half_(other.half_),
      twiddle_re_(std::move(other.twiddle_re_)),
      twiddle_im_(std::move(other.twiddle_im_)),
      reversed_(std::move(other.reversed_)),
      plan_(other.plan_) {
  other.in_ = nullptr;
  other.half_ = nullptr;
}

RealFft::~RealFft() {
  fftwf_free(in_);
  fftwf_free(half_);
}

void RealFft::PowerSpectrum(float* power) noexcept {
  // The real input read as M = n/2 complex values z[m] = x[2m] + i x[2m+1];
  // with Z = DFT(z): E_k = (Z_k + conj Z_{M-k}) / 2 is the DFT of the even
  // samples, O_k = (Z_k - conj Z_{M-k}) / 2i that of the odd ones, and
  // X_k = E_k + W^k O_k, W = exp(-2 pi i / n).
  const int half = n_ / 2;
  fftwf_execute_dft(static_cast<fftwf_plan>(plan_), reinterpret_cast<fftwf_complex*>(in_),
                    reinterpret_cast<fftwf_complex*>(half_));
  const float* __restrict z = reinterpret_cast<const float*>(half_);
  float* __restrict rev = reversed_.data();
  float* __restrict p = power;
  const float* __restrict wr = twiddle_re_.data();
  const float* __restrict wi = twiddle_im_.data();
  // Z_{M-k} gathered first so the main loop runs forward and vectorises.
  for (int k = 1; k < half; ++k) {
    rev[2 * k] = z[2 * (half - k)];
    rev[2 * k + 1] = z[2 * (half - k) + 1];
  }
  for (int k = 1; k < half; ++k) {
    const float ar = z[2 * k], ai = z[2 * k + 1];
    const float br = rev[2 * k], bi = -rev[2 * k + 1];
    const float er = 0.5f * (ar + br), ei = 0.5f * (ai + bi);
    const float dr = 0.5f * (ar - br), di = 0.5f * (ai - bi);  // O_k = (di, -dr)
    const float xr = er + wr[k] * di + wi[k] * dr;
    const float xi = ei - wr[k] * dr + wi[k] * di;
    p[k] = xr * xr + xi * xi;
  }
  // X_0 and X_{n/2} are real.
  p[0] = (z[0] + z[1]) * (z[0] + z[1]);
  p[half] = (z[0] - z[1]) * (z[0] - z[1]);
}

}  // namespace auris::dsp
