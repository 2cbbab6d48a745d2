// One step of the real FFT's split (RealFft::PowerSpectrum and its kernels):
// the powers of bins k and M - k from the half-size complex DFT.
#pragma once

namespace auris::dsp {

// |X_k|^2 and |X_{M-k}|^2 (low, high) from a = Z_k, b = Z_{M-k} and the
// twiddle W^k, for floats, doubles or vectors of them. Computed from 2 E_k
// and 2 O_k (no halving): the powers come out 4 times too large, scaled back
// exactly at the end.
template <class T>
[[gnu::always_inline]] inline void PowerPair(T a_re, T a_im, T b_re, T b_im, T w_re, T w_im, T& low,
                                             T& high) noexcept {
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
// is |X_k|^2 + |X_{M-k}|^2: parallelogram law, |W^k| = 1), the float split has
// cancelled away most of the digits: X_k = E_k + W^k O_k is tiny while both
// terms carry Z's rounding error, ~1e-7 |Z| times the FFT's error growth.
// That happens in near-empty bands whose mirror bin M - k is loud (low-passed
// or lossy-coded audio); the frame is then redone in double precision. At
// 1e-8 a float result's log-power error stays under ~1e-2 (2 x 4e-7 /
// sqrt(1e-8)), the level of torchaudio-float32's own in such bands
// (tests/reference/make_features.py's Ogg cases pass at 1x it down to 1e-14,
// and fail without the redo).
constexpr float kCancellationRatio = 1e-8f;

}  // namespace auris::dsp
