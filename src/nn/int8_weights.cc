#include "auris/nn/int8_weights.h"

#include <cmath>

#include "auris/core/check.h"
#include "isa/kernels.h"

namespace auris::nn {

Int8Matrix QuantizeRows(const Matrix& w, bool transposed) {
  Int8Matrix m;
  m.rows = w.rows();
  m.cols = w.cols();
  m.transposed = transposed;
  m.q.resize(static_cast<std::size_t>(m.rows * m.cols));
  m.scale.resize(static_cast<std::size_t>(m.rows));
  for (long r = 0; r < m.rows; ++r) {
    const float max = w.row(r).cwiseAbs().maxCoeff();
    const float scale = max / 127.0f;
    m.scale[r] = scale;
    for (long c = 0; c < m.cols; ++c) {
      // A zero row stays zero; |W / scale| <= 127 by construction.
      const float v = scale > 0 ? std::nearbyint(w(r, c) / scale) : 0.0f;
      m.q[static_cast<std::size_t>(transposed ? c * m.rows + r : r * m.cols + c)] =
          static_cast<std::int8_t>(std::fmax(-127.0f, std::fmin(127.0f, v)));
    }
  }
  return m;
}

Matrix Dequantize(const Int8Matrix& m) {
  Matrix w(m.rows, m.cols);
  for (long r = 0; r < m.rows; ++r)
    for (long c = 0; c < m.cols; ++c)
      w(r, c) = m.scale[r] * m.q[static_cast<std::size_t>(m.transposed ? c * m.rows + r : r * m.cols + c)];
  return w;
}

void AddMatVecManyInt8(const Int8Matrix& wt, std::span<const float* const> x, std::span<float* const> y) {
  AURIS_CHECK(wt.transposed && x.size() == y.size());
  isa::Active().add_mat_vec_many_int8(wt.q.data(), wt.scale.data(), wt.rows, wt.cols, x.data(), y.data(),
                                      static_cast<long>(x.size()));
}

void MatVecInt8(const Int8Matrix& w, const float* x, float* y) {
  AURIS_CHECK(!w.transposed);
  isa::Active().mat_vec_int8(w.q.data(), w.scale.data(), w.rows, w.cols, x, y);
}

}  // namespace auris::nn
