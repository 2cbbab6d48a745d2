// Real-to-complex FFT of one fixed length with FFTW (single precision).
// Plans are created once per length and shared process-wide; creation is
// serialised by a mutex (FFTW planning is not thread-safe), execution uses the
// new-array API on this object's own aligned buffers, so any number of
// RealFft objects may run concurrently.
#pragma once

#include <complex>

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
  float* Input() { return in_; }  // n floats; destroyed by Execute()
  // Transforms Input() into Output(): n/2+1 bins, unnormalised (like numpy).
  void Execute() noexcept;
  const std::complex<float>* Output() const { return out_; }
  // |X_k|^2 for k = 0..n/2 into power (n/2+1 floats).
  void PowerSpectrum(float* power) const noexcept;

 private:
  int n_;
  float* in_ = nullptr;
  std::complex<float>* out_ = nullptr;
  void* plan_ = nullptr;  // fftwf_plan, owned by the process-wide cache
};

}  // namespace auris::dsp
