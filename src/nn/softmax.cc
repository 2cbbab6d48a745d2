#include "auris/nn/softmax.h"

#include <algorithm>
#include <cmath>

namespace auris::nn {
namespace {

// Max and sum of exp(x - max), the sum in double.
void Normaliser(const float* x, int n, float* mx, double* sum) noexcept {
  *mx = *std::max_element(x, x + n);
  double s = 0;
  for (int i = 0; i < n; ++i) s += std::exp(x[i] - *mx);
  *sum = s;
}

}  // namespace

void Softmax(const float* x, int n, float* out) noexcept {
  float mx;
  double sum;
  Normaliser(x, n, &mx, &sum);
  for (int i = 0; i < n; ++i) out[i] = static_cast<float>(std::exp(x[i] - mx) / sum);
}

void LogSoftmax(const float* x, int n, float* out) noexcept {
  float mx;
  double sum;
  Normaliser(x, n, &mx, &sum);
  // (x - max) - log(sum), as PyTorch: exact near the maximum, where
  // x - (max + log(sum)) would lose the low bits of large logits.
  const float log_sum = static_cast<float>(std::log(sum));
  for (int i = 0; i < n; ++i) out[i] = (x[i] - mx) - log_sum;
}

}  // namespace auris::nn
