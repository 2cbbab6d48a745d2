#include "auris/dsp/real_fft.h"

#include <fftw3.h>

#include <cmath>
#include <cstdint>
#include <map>
#include <mutex>
#include <new>
#include <utility>

#include "auris/core/error.h"
#include "dsp/isa/kernels.h"
#include "dsp/power_pair.h"

namespace auris::dsp {

namespace {

// Process-wide complex plans of size n/2, one per size and precision, never
// destroyed (small, reused by every extractor). FFTW_ESTIMATE keeps plans —
// and so results — identical from run to run; FFTW_MEASURE would pick by
// timing. Each instantiation (fftwf_*, fftw_*) has its own cache.
template <class Plan, class Complex>
Plan HalfSizePlan(int half, Complex* (*alloc)(std::size_t), void (*release)(void*),
                  Plan (*plan_dft)(int, Complex*, Complex*, int, unsigned)) {
  static std::mutex mutex;
  static std::map<int, Plan>* plans = new std::map<int, Plan>();
  std::lock_guard<std::mutex> lock(mutex);
  auto it = plans->find(half);
  if (it != plans->end()) return it->second;
  Complex* in = alloc(half);
  Complex* out = alloc(half);
  Plan plan = plan_dft(half, in, out, FFTW_FORWARD, FFTW_ESTIMATE);
  release(in);
  release(out);
  if (plan == nullptr) throw MakeError("FFTW could not plan a complex FFT of size ", half);
  plans->emplace(half, plan);
  return plan;
}

}  // namespace

RealFft::RealFft(int n) : n_(n) {
  if (n < 2 || n % 2 != 0) throw MakeError("RealFft: size ", n, " must be even and >= 2");
  const int half = n / 2;
  plan_ = HalfSizePlan(half, fftwf_alloc_complex, fftwf_free, fftwf_plan_dft_1d);
  // The same in double precision, for frames the float split cannot resolve.
  plan_double_ = HalfSizePlan(half, fftw_alloc_complex, fftw_free, fftw_plan_dft_1d);
  // fftw(f)_alloc gives the SIMD alignment the plans were made for.
  in_ = fftwf_alloc_real(n);
  half_ = reinterpret_cast<std::complex<float>*>(fftwf_alloc_complex(half + 1));
  in_double_ = fftw_alloc_real(n);
  half_double_ = reinterpret_cast<std::complex<double>*>(fftw_alloc_complex(half + 1));
  if (in_ == nullptr || half_ == nullptr || in_double_ == nullptr || half_double_ == nullptr) {
    fftwf_free(in_);
    fftwf_free(half_);
    fftw_free(in_double_);
    fftw_free(half_double_);
    throw std::bad_alloc();
  }
  twiddle_re_.resize(half + 1);
  twiddle_im_.resize(half + 1);
  twiddle_double_.resize(2 * (half + 1));
  for (int k = 0; k <= half; ++k) {
    const double angle = -2.0 * M_PI * k / n;
    twiddle_double_[2 * k] = std::cos(angle);
    twiddle_double_[2 * k + 1] = std::sin(angle);
    twiddle_re_[k] = static_cast<float>(twiddle_double_[2 * k]);
    twiddle_im_[k] = static_cast<float>(twiddle_double_[2 * k + 1]);
  }
}

RealFft::RealFft(RealFft&& other) noexcept
    : n_(other.n_),
      in_(other.in_),
      half_(other.half_),
      twiddle_re_(std::move(other.twiddle_re_)),
      twiddle_im_(std::move(other.twiddle_im_)),
      twiddle_double_(std::move(other.twiddle_double_)),
      in_double_(other.in_double_),
      half_double_(other.half_double_),
      plan_(other.plan_),
      plan_double_(other.plan_double_) {
  other.in_ = nullptr;
  other.half_ = nullptr;
  other.in_double_ = nullptr;
  other.half_double_ = nullptr;
}

RealFft::~RealFft() {
  fftwf_free(in_);
  fftwf_free(half_);
  fftw_free(in_double_);
  fftw_free(half_double_);
}

void RealFft::PowerSpectrum(float* power) noexcept {
  // The real input read as M = n/2 complex values: one complex FFT of size
  // M, then the split into the n/2 + 1 bins (isa/kernels.cc).
  const int half = n_ / 2;
  fftwf_execute_dft(static_cast<fftwf_plan>(plan_), reinterpret_cast<fftwf_complex*>(in_),
                    reinterpret_cast<fftwf_complex*>(half_));
  float* z = reinterpret_cast<float*>(half_);
  z[2 * half] = z[0];
  z[2 * half + 1] = z[1];
  if (isa::Active().power_spectrum(z, half, twiddle_re_.data(), twiddle_im_.data(), power))
    PowerSpectrumDouble(power);
}

void RealFft::PowerSpectrumDouble(float* power) noexcept {
  const int half = n_ / 2;
  for (int i = 0; i < n_; ++i) in_double_[i] = in_[i];
  fftw_execute_dft(static_cast<fftw_plan>(plan_double_), reinterpret_cast<fftw_complex*>(in_double_),
                   reinterpret_cast<fftw_complex*>(half_double_));
  double* z = reinterpret_cast<double*>(half_double_);
  z[2 * half] = z[0];
  z[2 * half + 1] = z[1];
  for (int k = 0; k <= half / 2; ++k) {
    double low, high;
    PowerPair(z[2 * k], z[2 * k + 1], z[2 * (half - k)], z[2 * (half - k) + 1], twiddle_double_[2 * k],
              twiddle_double_[2 * k + 1], low, high);
    power[k] = static_cast<float>(low);
    power[half - k] = static_cast<float>(high);
  }
}

}  // namespace auris::dsp
