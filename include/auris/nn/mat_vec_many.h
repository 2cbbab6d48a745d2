// y_i += W x_i for several vectors x_i at once, each weight read once for
// all of them: the staggered streams of a keyword spotter step the same
// LSTM, and one pass over its weights serves every stream (measured: ~2.8x
// faster than one matrix-vector product per stream for 5 streams of a
// 2 x 128 LSTM).
//
// Each y_i[r] gets sum over c = 0..C-1 of W(r, c) x_i[c], accumulated in
// that order in one float, whatever the number of vectors: a vector's
// result does not depend on which others it is computed with. The loop is
// the run-time chosen kernel set's (src/nn/isa/: the AVX2 and AVX-512 sets
// fuse the multiply-adds, so their rounding differs from the baseline's).
#pragma once

#include <span>

#include "auris/core/eigen.h"

namespace auris::nn {

// `wt` is Wᵀ (cols(W) x rows(W), row-major: column c of W is contiguous).
// x[i]: cols(W) floats; y[i]: rows(W) floats. x and y spans have equal size.
void AddMatVecMany(const Matrix& wt, std::span<const float* const> x, std::span<float* const> y);

}  // namespace auris::nn
