#include "auris/nn/grad_clip.h"

#include <cmath>

#include "auris/core/check.h"

namespace auris::nn {

double ClipGradNorm(Grads& grads, double max_norm) {
  AURIS_CHECK(max_norm > 0) << "clip max_norm must be > 0, got " << max_norm;
  double sum_sq = 0;
  for (const auto& m : grads.g)
    for (Eigen::Index i = 0; i < m.size(); ++i) sum_sq += static_cast<double>(m.data()[i]) * m.data()[i];
  const double total = std::sqrt(sum_sq);
  const double coef = max_norm / (total + 1e-6);
  if (coef < 1.0) grads.Scale(static_cast<float>(coef));
  return total;
}

}  // namespace auris::nn
