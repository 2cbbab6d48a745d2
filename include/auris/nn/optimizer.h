// Adam and AdamW over a ParamStore, step for step like torch.optim.Adam /
// torch.optim.AdamW (amsgrad=False, maximize=False):
//   Adam : g += weight_decay * p                    (L2 added to the gradient)
//   AdamW: p *= 1 - lr * weight_decay               (decoupled decay)
//   m = b1 m + (1-b1) g;  v = b2 v + (1-b2) g^2
//   p -= lr / (1 - b1^t) * m / (sqrt(v) / sqrt(1 - b2^t) + eps)
// The state (moments and step count) exports as NamedTensors so a resumed
// training continues exactly.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "auris/core/tensor.h"
#include "auris/nn/param.h"

namespace auris::nn {

struct AdamOptions {
  float lr = 1e-3f;
  float beta1 = 0.9f;
  float beta2 = 0.999f;
  float eps = 1e-8f;
  float weight_decay = 0.0f;
  bool decoupled_weight_decay = false;  // false: Adam; true: AdamW

  // torch.optim.AdamW's defaults (weight_decay 0.01).
  static AdamOptions AdamW(float lr = 1e-3f, float weight_decay = 1e-2f);

  void Validate() const;
  std::string ToString() const;
};

class Adam {
 public:
  Adam(const ParamStore& params, const AdamOptions& options);

  // One update with options().lr.
  void Step(ParamStore& params, const Grads& grads) { Step(params, grads, options_.lr); }
  // One update with the given learning rate (from an LrSchedule).
  void Step(ParamStore& params, const Grads& grads, float lr);

  std::int64_t StepCount() const { return step_; }
  const AdamOptions& options() const { return options_; }

  // "optim.exp_avg.<param>", "optim.exp_avg_sq.<param>" (parameter shapes)
  // and "optim.step" (shape [1]; exact up to 2^24 steps).
  std::vector<NamedTensor> ExportState(const ParamStore& params) const;
  // Takes exactly the tensors ExportState writes for this ParamStore from
  // `tensors` (other names are ignored); throws auris::Error naming a missing
  // or mis-shaped one.
  void ImportState(const ParamStore& params, const std::vector<NamedTensor>& tensors);

 private:
  AdamOptions options_;
  std::int64_t step_ = 0;
  std::vector<Matrix> exp_avg_;
  std::vector<Matrix> exp_avg_sq_;
};

}  // namespace auris::nn
