#include "auris/nn/layer.h"

#include "auris/core/check.h"
#include "auris/core/error.h"

namespace auris::nn {

std::unique_ptr<StepState> Layer::NewStepState(const ParamStore&) const { return nullptr; }

void Layer::Step(const float*, const ParamStore&, StepState&, float*) const {
  throw MakeError(Kind(), " layer is not causal: it cannot run step by step");
}

void Layer::StepMany(std::span<const float* const> in, const ParamStore& params, std::span<StepState* const> states,
                     std::span<float* const> out) const {
  AURIS_CHECK(in.size() == states.size() && out.size() == states.size() && states.size() <= kMaxStepMany);
  for (std::size_t i = 0; i < states.size(); ++i) Step(in[i], params, *states[i], out[i]);
}

}  // namespace auris::nn
