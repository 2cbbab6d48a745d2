#include "auris/dsp/real_fft.h"

#include <fftw3.h>

#include <cmath>
#include <map>
#include <mutex>
#include <new>
#include <utility>

#include "auris/core/error.h"
#include "auris/dsp/vector_math.h"

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

// Lanes first, first + step, ... of the concatenation a:b (deinterleaving
// real and imaginary parts, backwards with a negative step).
template <int first, int step, std::size_t... I>
[[gnu::always_inline]] inline FloatVec Lanes(FloatVec a, FloatVec b,
                                             std::index_sequence<I...>) noexcept {
  return __builtin_shufflevector(a, b, (first + step * static_cast<int>(I))...);
}
template <int first, int step>
[[gnu::always_inline]] inline FloatVec Lanes(FloatVec a, FloatVec b) noexcept {
  return Lanes<first, step>(a, b, std::make_index_sequence<kFloatLanes>());
}

}  // namespace

RealFft::RealFft(int n) : n_(n) {
  if (n < 2 || n % 2 != 0) throw MakeError("RealFft: size ", n, " must be even and >= 2");
  const int half = n / 2;
  plan_ = HalfSizePlan(half);
  // fftwf_alloc gives the SIMD alignment the plan was made for.
  in_ = fftwf_alloc_real(n);
  half_ = reinterpret_cast<std::complex<float>*>(fftwf_alloc_complex(half + 1));
  if (in_ == nullptr || half_ == nullptr) {
    fftwf_free(in_);
    fftwf_free(half_);
    throw std::bad_alloc();
  }
  twiddle_re_.resize(half + 1);
  twiddle_im_.resize(half + 1);
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
  float* z = reinterpret_cast<float*>(half_);
  // Z_M = Z_0 (indices mod M), so Z_{M-k} needs no special case at k = 0.
  z[2 * half] = z[0];
  z[2 * half + 1] = z[1];
  const float* wr = twiddle_re_.data();
  const float* wi = twiddle_im_.data();
  // kFloatLanes bins at a time: Z_k.. and Z_{M-k}.. (read backwards) split
  // into real and imaginary lanes by two shuffles each.
  constexpr int kL = kFloatLanes;
  int k = 0;
  for (; k + kL <= half; k += kL) {
    const FloatVec f0 = LoadVec(z + 2 * k), f1 = LoadVec(z + 2 * k + kL);
    const float* r = z + 2 * (half - k - (kL - 1));  // Z_{M-k-kL+1} .. Z_{M-k}
    const FloatVec r0 = LoadVec(r), r1 = LoadVec(r + kL);
    const FloatVec ar = Lanes<0, 2>(f0, f1), ai = Lanes<1, 2>(f0, f1);
    const FloatVec br = Lanes<2 * kL - 2, -2>(r0, r1), bi = -Lanes<2 * kL - 1, -2>(r0, r1);
    const FloatVec er = 0.5f * (ar + br), ei = 0.5f * (ai + bi);
    const FloatVec dr = 0.5f * (ar - br), di = 0.5f * (ai - bi);  // O_k = (di, -dr)
    const FloatVec w_re = LoadVec(wr + k), w_im = LoadVec(wi + k);
    const FloatVec xr = er + w_re * di + w_im * dr;
    const FloatVec xi = ei - w_re * dr + w_im * di;
    StoreVec(power + k, xr * xr + xi * xi);
  }
  for (; k < half; ++k) {  // n/2 not a multiple of kFloatLanes
    const float ar = z[2 * k], ai = z[2 * k + 1];
    const float br = z[2 * (half - k)], bi = -z[2 * (half - k) + 1];
    const float er = 0.5f * (ar + br), ei = 0.5f * (ai + bi);
    const float dr = 0.5f * (ar - br), di = 0.5f * (ai - bi);
    const float xr = er + wr[k] * di + wi[k] * dr;
    const float xi = ei - wr[k] * dr + wi[k] * di;
    power[k] = xr * xr + xi * xi;
  }
  // X_0 and X_{n/2} are real.
  power[0] = (z[0] + z[1]) * (z[0] + z[1]);
  power[half] = (z[0] - z[1]) * (z[0] - z[1]);
}

}  // namespace auris::dsp
