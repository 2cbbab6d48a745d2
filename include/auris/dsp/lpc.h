// The linear-prediction steps of Kaldi's PLP (feat/mel-computations.cc,
// feature-functions.cc), in double: equal-loudness weights, the cosine
// transform from a compressed auditory spectrum to autocorrelations, Durbin's
// recursion and the LPC-to-cepstrum recursion.
#pragma once

#include <vector>

namespace auris::dsp {

// Kaldi's GetEqualLoudnessVector at one (mel bin centre) frequency:
// w(f) = (f^2 / (f^2 + 1.6e5))^2 (f^2 + 1.44e6) / (f^2 + 9.61e6), rounded to
// float as Kaldi stores it.
float EqualLoudness(float freq_hz);

// Kaldi's InitIdftBases(n_bases, dimension): row i (lag i) of the inverse
// transform of a real, even power spectrum sampled at `dimension` points from
// 0 to pi: (1/(2(D-1))) [x_0 + 2 sum_{0<j<D-1} x_j cos(pi i j/(D-1)) +
// x_{D-1} cos(pi i)], D = dimension. Row-major n_bases x dimension.
std::vector<double> IdftBases(int n_bases, int dimension);

// Kaldi's Durbin: LPC coefficients lpc[0, order) from autocorrelations
// r[0, order] with Kaldi's sign convention (A(z) = 1 + sum_k lpc[k-1] z^-k)
// and its guard: each step's 1 - k^2 is floored at 1e-5. Returns the
// residual energy. r[0] <= 0 (a silent frame: Kaldi divides 0 by 0 and
// returns NaN) gives all-zero coefficients and residual 0.
double Durbin(const double* r, int order, double* lpc) noexcept;

// Kaldi's Lpc2Cepstrum: cepstrum[n-1] = c_n of 1/A(z) for n = 1..order,
// c_n = -a_n - (1/n) sum_{k=1}^{n-1} (n-k) a_k c_{n-k}.
void LpcToCepstrum(const double* lpc, int order, double* cepstrum) noexcept;

}  // namespace auris::dsp
