#include "auris/dsp/real_fft.h"

#include <fftw3.h>

#include <cmath>
#include <cstdint>
#include <map>
#include <mutex>
#include <new>
#include <utility>

#include "auris/core/error.h"
#include "auris/dsp/vector_math.h"

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

// |X_k|^2 and |X_{M-k}|^2 (low, high) from a = Z_k, b = Z_{M-k} and the
// twiddle W^k, for floats or vectors of them. Computed from 2 E_k and
// 2 O_k (no halving): the powers come out 4 times too large, scaled back
// exactly at the end.
template <class T>
[[gnu::always_inline]] inline void PowerPair(T a_re, T a_im, T b_re, T b_im, T w_re, T w_im,
                                             T& low, T& high) noexcept {
  const T e_re = a_re + b_re, e_im = a_im - b_im;  // 2 E_k
  const T d_re = a_re - b_re, d_im = a_im + b_im;  // 2 i O_k
  const T t_re = w_re * d_im + w_im * d_re;        // 2 W^k O_k
  const T t_im = w_im * d_im - w_re * d_re;
  const T low_re = e_re + t_re, low_im = e_im + t_im;
  const T high_re = e_re - t_re, high_im = e_im - t_im;
  low = 0.25f * (low_re * low_re + low_im * low_im);  // exact in double too
  high = 0.25f * (high_re * high_re + high_im * high_im);
}

// Where a bin's power is this small a share of |Z_k|^2 + |Z_{M-k}|^2 (which
// is |X_k|^2 + |X_{M-k}|^2: parallelogram law, |W^k| = 1), the float split has cancelled away most of the
// digits: X_k = E_k + W^k O_k is tiny while both terms carry Z's rounding
// error, ~1e-7 |Z| times the FFT's error growth. That happens in near-empty
// bands whose mirror bin M - k is loud (low-passed or lossy-coded audio);
// the frame is then redone in double precision. At 1e-8 a float result's
// log-power error stays under ~1e-2 (2 x 4e-7 / sqrt(1e-8)), the level of
// torchaudio-float32's own in such bands (tests/reference/make_features.py's
// Ogg cases pass at 1x it down to 1e-14, and fail without the redo).
constexpr float kCancellationRatio = 1e-8f;

using IntVec = std::int32_t __attribute__((vector_size(4 * kFloatLanes)));
constexpr IntVec kAll = IntVec{} - 1;
const IntVec kAllButFirst = [] {
  IntVec v = kAll;
  v[0] = 0;
  return v;
}();

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
  // The real input read as M = n/2 complex values z[m] = x[2m] + i x[2m+1];
  // with Z = DFT(z): E_k = (Z_k + conj Z_{M-k}) / 2 is the DFT of the even
  // samples, O_k = (Z_k - conj Z_{M-k}) / 2i that of the odd ones, and
  // X_k = E_k + W^k O_k, W = exp(-2 pi i / n). Bins k and M - k share E_k
  // and W^k O_k: X_{M-k} = conj(E_k - W^k O_k), so each pair is computed
  // once (k = 0 pairs with the Nyquist bin M, Z_M being Z_0).
  const int half = n_ / 2;
  fftwf_execute_dft(static_cast<fftwf_plan>(plan_), reinterpret_cast<fftwf_complex*>(in_),
                    reinterpret_cast<fftwf_complex*>(half_));
  float* z = reinterpret_cast<float*>(half_);
  z[2 * half] = z[0];
  z[2 * half + 1] = z[1];
  const float* wr = twiddle_re_.data();
  const float* wi = twiddle_im_.data();
  // kFloatLanes pairs at a time: Z_k.. and Z_{M-k}.. (read backwards) split
  // into real and imaginary lanes by two shuffles each; the M - k powers are
  // stored backwards.
  constexpr int kL = kFloatLanes;
  IntVec cancelled = {};
  int k = 0;
  for (; k + kL <= half / 2; k += kL) {
    const FloatVec f0 = LoadVec(z + 2 * k), f1 = LoadVec(z + 2 * k + kL);
    const float* r = z + 2 * (half - k - (kL - 1));  // Z_{M-k-kL+1} .. Z_{M-k}
    const FloatVec r0 = LoadVec(r), r1 = LoadVec(r + kL);
    FloatVec low, high;
    PowerPair(Lanes<0, 2>(f0, f1), Lanes<1, 2>(f0, f1), Lanes<2 * kL - 2, -2>(r0, r1),
              Lanes<2 * kL - 1, -2>(r0, r1), LoadVec(wr + k), LoadVec(wi + k), low, high);
    const FloatVec limit = kCancellationRatio * (low + high);  // = |Z_k|^2 + |Z_{M-k}|^2
    // Not the DC / Nyquist pair: removing the DC offset makes X_0 near-empty
    // in every frame (it carries nothing then; mel filters weight both 0).
    cancelled |= ((low < limit) | (high < limit)) & (k == 0 ? kAllButFirst : kAll);
    StoreVec(power + k, low);
    StoreVec(power + half - k - (kL - 1), Lanes<kL - 1, -1>(high, high));
  }
  bool redo = false;
  for (int lane = 0; lane < kL; ++lane) redo |= cancelled[lane] != 0;
  for (; k <= half / 2; ++k) {
    PowerPair(z[2 * k], z[2 * k + 1], z[2 * (half - k)], z[2 * (half - k) + 1], wr[k], wi[k], power[k],
              power[half - k]);
    const float limit = kCancellationRatio * (power[k] + power[half - k]);
    redo |= k > 0 && (power[k] < limit || power[half - k] < limit);
  }
  if (redo) PowerSpectrumDouble(power);
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
