#include "auris/nn/lr_schedule.h"

#include <algorithm>
#include <cmath>
#include <numbers>
#include <sstream>

#include "auris/core/check.h"

namespace auris::nn {

float LrSchedule::LrAt(long step) const {
  AURIS_CHECK_GE(step, 0L) << "learning-rate schedule step";
  if (step < warmup_steps) return static_cast<float>(static_cast<double>(base_lr) * (step + 1) / warmup_steps);
  const long after = step - warmup_steps;
  const double span = std::max(1, total_steps - warmup_steps);
  const double p = std::min(1.0, after / span);
  switch (decay) {
    case Decay::kConstant:
      return base_lr;
    case Decay::kLinear:
      return static_cast<float>(min_lr + (static_cast<double>(base_lr) - min_lr) * (1.0 - p));
    case Decay::kCosine:
      return static_cast<float>(min_lr + (static_cast<double>(base_lr) - min_lr) *
                                             (1.0 + std::cos(std::numbers::pi * p)) / 2.0);
    case Decay::kExponential:
      return static_cast<float>(base_lr * std::pow(static_cast<double>(gamma), static_cast<double>(after)));
  }
  return base_lr;
}

void LrSchedule::Validate() const {
  AURIS_CHECK(base_lr > 0.0f) << "lr schedule: base_lr must be > 0, got " << base_lr;
  AURIS_CHECK_GE(warmup_steps, 0) << "lr schedule: warmup_steps";
  if (decay == Decay::kLinear || decay == Decay::kCosine) {
    AURIS_CHECK_GT(total_steps, warmup_steps) << "lr schedule: " << DecayName(decay)
                                              << " decay needs total_steps > warmup_steps";
    AURIS_CHECK(min_lr >= 0.0f && min_lr <= base_lr)
        << "lr schedule: min_lr must be in [0, base_lr], got " << min_lr;
  }
  if (decay == Decay::kExponential) {
    AURIS_CHECK(gamma > 0.0f && gamma <= 1.0f) << "lr schedule: gamma must be in (0, 1], got " << gamma;
  }
}

std::string LrSchedule::ToString() const {
  std::ostringstream os;
  os << "LrSchedule{base_lr=" << base_lr << ", warmup_steps=" << warmup_steps
     << ", decay=" << DecayName(decay) << ", total_steps=" << total_steps << ", min_lr=" << min_lr
     << ", gamma=" << gamma << "}";
  return os.str();
}

LrSchedule::Decay LrSchedule::ParseDecay(const std::string& name) {
  if (name == "constant") return Decay::kConstant;
  if (name == "linear") return Decay::kLinear;
  if (name == "cosine") return Decay::kCosine;
  if (name == "exponential") return Decay::kExponential;
  throw MakeError("unknown learning-rate decay '", name, "' (expected constant, linear, cosine or exponential)");
}

std::string LrSchedule::DecayName(Decay decay) {
  switch (decay) {
    case Decay::kConstant: return "constant";
    case Decay::kLinear: return "linear";
    case Decay::kCosine: return "cosine";
    case Decay::kExponential: return "exponential";
  }
  return "?";
}

}  // namespace auris::nn
