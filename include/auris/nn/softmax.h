// Softmax and log-softmax of one vector of logits, shared by batch and
// streaming inference so both normalise exactly alike. Max-shifted, so large
// logits do not overflow.
#pragma once

namespace auris::nn {

// out[i] = exp(x[i]) / sum_j exp(x[j]); n >= 1. out may equal x.
void Softmax(const float* x, int n, float* out) noexcept;
// out[i] = x[i] - log sum_j exp(x[j]); n >= 1. out may equal x.
void LogSoftmax(const float* x, int n, float* out) noexcept;

}  // namespace auris::nn
