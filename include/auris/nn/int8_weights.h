// Weight matrices stored as int8 with one float scale per output row, for
// the streaming step (Model::SetInt8Step; `--int8` of live and serve): a
// quarter of the memory the step reads, converted to float in the kernels
// and accumulated in float (nn/isa/kernels.h). Symmetric per-row
// quantisation: scale[r] = max |W(r, :)| / 127, q = round(W / scale), so each
// weight is off by at most scale[r] / 2.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "auris/core/eigen.h"

namespace auris::nn {

struct Int8Matrix {
  long rows = 0, cols = 0;    // of W
  bool transposed = false;    // q holds Wᵀ (cols x rows row-major), as AddMatVecMany reads
  std::vector<std::int8_t> q;
  std::vector<float> scale;   // per row of W
};

// W (rows x cols) quantised per row, stored as W or as Wᵀ.
Int8Matrix QuantizeRows(const Matrix& w, bool transposed);
// W with the quantised values (q * scale): what the int8 step computes with.
Matrix Dequantize(const Int8Matrix& m);

// y_i += W x_i for each i (wt stored transposed), as AddMatVecMany.
void AddMatVecManyInt8(const Int8Matrix& wt, std::span<const float* const> x, std::span<float* const> y);
// y = W x (w stored as W).
void MatVecInt8(const Int8Matrix& w, const float* x, float* y);

}  // namespace auris::nn
