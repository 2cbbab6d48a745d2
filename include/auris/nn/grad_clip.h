// Gradient clipping by global norm, like torch.nn.utils.clip_grad_norm_
// (norm_type 2): total = ||all gradients||_2; if max_norm / (total + 1e-6) < 1
// every gradient is scaled by that factor.
#pragma once

#include "auris/nn/param.h"

namespace auris::nn {

// Returns the total norm before clipping (accumulated in double).
double ClipGradNorm(Grads& grads, double max_norm);

}  // namespace auris::nn
