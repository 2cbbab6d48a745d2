// Learning-rate schedule: linear warm-up from base_lr / warmup_steps to
// base_lr over the first warmup_steps updates, then one decay:
//   constant:    base_lr
//   linear:      base_lr -> min_lr linearly, reached at total_steps
//   cosine:      min_lr + (base_lr - min_lr) * (1 + cos(pi * p)) / 2, p = progress to total_steps
//   exponential: base_lr * gamma^(step - warmup_steps)
// `step` is the 0-based index of the update about to be made. The warm-up is
// torch's LinearLR(start_factor=1/warmup_steps, total_iters=warmup_steps-1);
// the decays are CosineAnnealingLR(T_max=total_steps-warmup_steps, eta_min=min_lr),
// ExponentialLR(gamma) and LinearLR(1, min_lr/base_lr, total_steps-warmup_steps)
// started at step warmup_steps. After total_steps linear/cosine stay at min_lr.
#pragma once

#include <string>

namespace auris::nn {

struct LrSchedule {
  enum class Decay { kConstant, kLinear, kCosine, kExponential };

  float base_lr = 1e-3f;
  int warmup_steps = 0;
  Decay decay = Decay::kConstant;
  int total_steps = 0;    // linear / cosine: step at which min_lr is reached
  float min_lr = 0.0f;    // linear / cosine
  float gamma = 1.0f;     // exponential: factor per step after the warm-up

  float LrAt(long step) const;

  void Validate() const;
  std::string ToString() const;
  // "constant", "linear", "cosine", "exponential"; throws auris::Error otherwise.
  static Decay ParseDecay(const std::string& name);
  static std::string DecayName(Decay decay);
};

}  // namespace auris::nn
