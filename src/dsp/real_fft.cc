#include "auris/dsp/real_fft.h"

#include <fftw3.h>

#include <map>
#include <mutex>
#include <new>

#include "auris/core/error.h"

namespace auris::dsp {

namespace {

// Process-wide plans, one per length, never destroyed (FFTW plans are small
// and reused by every extractor). FFTW_ESTIMATE keeps plans — and therefore
// results — identical from run to run.
fftwf_plan PlanFor(int n) {
  static std::mutex mutex;
  static std::map<int, fftwf_plan>* plans = new std::map<int, fftwf_plan>();
  std::lock_guard<std::mutex> lock(mutex);
  auto it = plans->find(n);
  if (it != plans->end()) return it->second;
  float* in = fftwf_alloc_real(n);
  fftwf_complex* out = fftwf_alloc_complex(n / 2 + 1);
  fftwf_plan plan = fftwf_plan_dft_r2c_1d(n, in, out, FFTW_ESTIMATE);
  fftwf_free(in);
  fftwf_free(out);
  if (plan == nullptr) throw MakeError("FFTW could not plan a real FFT of size ", n);
  plans->emplace(n, plan);
  return plan;
}

}  // namespace

RealFft::RealFft(int n) : n_(n) {
  if (n < 2 || n % 2 != 0) throw MakeError("RealFft: size ", n, " must be even and >= 2");
  plan_ = PlanFor(n);
  // fftwf_alloc gives the SIMD alignment the plan was made for.
  in_ = fftwf_alloc_real(n);
  out_ = reinterpret_cast<std::complex<float>*>(fftwf_alloc_complex(n / 2 + 1));
  if (in_ == nullptr || out_ == nullptr) {
    fftwf_free(in_);
    fftwf_free(out_);
    throw std::bad_alloc();
  }
}

RealFft::RealFft(RealFft&& other) noexcept
    : n_(other.n_), in_(other.in_), out_(other.out_), plan_(other.plan_) {
  other.in_ = nullptr;
  other.out_ = nullptr;
}

RealFft::~RealFft() {
  fftwf_free(in_);
  fftwf_free(out_);
}

void RealFft::Execute() noexcept {
  fftwf_execute_dft_r2c(static_cast<fftwf_plan>(plan_), in_,
                        reinterpret_cast<fftwf_complex*>(out_));
}

void RealFft::PowerSpectrum(float* power) const noexcept {
  const float* c = reinterpret_cast<const float*>(out_);
  const int bins = n_ / 2 + 1;
  for (int k = 0; k < bins; ++k) power[k] = c[2 * k] * c[2 * k] + c[2 * k + 1] * c[2 * k + 1];
}

}  // namespace auris::dsp
