#include "auris/dsp/lpc.h"

#include <algorithm>
#include <cmath>

namespace auris::dsp {

float EqualLoudness(float freq_hz) {
  const double fsq = static_cast<double>(freq_hz) * freq_hz;
  const double fsub = fsq / (fsq + 1.6e5);
  return static_cast<float>(fsub * fsub * ((fsq + 1.44e6) / (fsq + 9.61e6)));
}

std::vector<double> IdftBases(int n_bases, int dimension) {
  const int last = dimension - 1;
  const double scale = 1.0 / (2.0 * last);
  std::vector<double> bases(static_cast<std::size_t>(n_bases) * dimension);
  for (int i = 0; i < n_bases; ++i) {
    double* row = bases.data() + static_cast<std::size_t>(i) * dimension;
    row[0] = scale;
    for (int j = 1; j < last; ++j) row[j] = 2.0 * scale * std::cos(M_PI * i * j / last);
    row[last] = scale * std::cos(M_PI * i);
  }
  return bases;
}

double Durbin(const double* r, int order, double* lpc) noexcept {
  if (!(r[0] > 0.0)) {
    for (int k = 0; k < order; ++k) lpc[k] = 0.0;
    return 0.0;
  }
  double error = r[0];
  for (int i = 0; i < order; ++i) {
    double k = r[i + 1];
    for (int j = 0; j < i; ++j) k += lpc[j] * r[i - j];
    k /= error;
    error *= std::max(1.0 - k * k, 1.0e-5);
    // lpc[j] -= k * lpc[i-1-j] for j < i, in place: pairs (j, i-1-j) at once.
    for (int j = 0, m = i - 1; j <= m; ++j, --m) {
      const double a = lpc[j], b = lpc[m];
      lpc[j] = a - k * b;
      if (m != j) lpc[m] = b - k * a;
    }
    lpc[i] = -k;
  }
  return error;
}

void LpcToCepstrum(const double* lpc, int order, double* cepstrum) noexcept {
  for (int n = 1; n <= order; ++n) {
    double sum = 0.0;
    for (int k = 1; k < n; ++k) sum += (n - k) * lpc[k - 1] * cepstrum[n - k - 1];
    cepstrum[n - 1] = -lpc[n - 1] - sum / n;
  }
}

}  // namespace auris::dsp
