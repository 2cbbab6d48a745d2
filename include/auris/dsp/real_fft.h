// Power spectrum of real frames of one fixed even length n with FFTW (single
// precision): a complex FFT of size n/2 on the samples paired as complex
// values, then the standard split into the n/2+1 real-input bins (FFTW's own
// r2c plans chosen by FFTW_ESTIMATE are ~3x slower here, and no more
// accurate). The split cancels digits where a bin is near-empty and its
// mirror bin n/2 - k loud (low-passed or lossy-coded audio); such frames are
// detected and redone in double precision (real_fft.cc). Plans are created
// once per length and shared process-wide; creation is serialised by a mutex
// (FFTW planning is not thread-safe), execution uses the new-array API on this
// object's own aligned buffers, so any number of RealFft objects may run
// concurrently.
#pragma once

#include <complex>
#include <vector>

namespace auris::dsp {

class RealFft {
 public:
  explicit RealFft(int n);  // n >= 2, even
  ~RealFft();
  RealFft(RealFft&& other) noexcept;
  RealFft(const RealFft&) = delete;
  RealFft& operator=(const RealFft&) = delete;
  RealFft& operator=(RealFft&&) = delete;

  int Size() const { return n_; }
  float* Input() { return in_; }  // n floats; destroyed by PowerSpectrum()
  // |X_k|^2, k = 0..n/2, of the unnormalised DFT X of Input() into power
  // (n/2+1 floats). Computed straight from the split: the complex spectrum
  // itself is never stored (no caller needs it).
  void PowerSpectrum(float* power) noexcept;

 private:
  int n_;
  float* in_ = nullptr;
  std::complex<float>* half_ = nullptr;  // n/2-point DFT of the paired input, + Z_0 again
  std::vector<float> twiddle_re_;        // cos(-2 pi k / n), k = 0..n/2
  std::vector<float> twiddle_im_;        // sin(-2 pi k / n)
  std::vector<double> twiddle_double_;  // cos, sin interleaved
  double* in_double_ = nullptr;          // Input() in double, for PowerSpectrumDouble
  std::complex<double>* half_double_ = nullptr;
  void* plan_ = nullptr;         // fftwf_plan, owned by the process-wide cache
  void* plan_double_ = nullptr;  // fftw_plan, the same in double precision

  void PowerSpectrumDouble(float* power) noexcept;
};

}  // namespace auris::dsp
