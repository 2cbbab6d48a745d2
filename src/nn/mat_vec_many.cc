#include "auris/nn/mat_vec_many.h"

#include "auris/core/check.h"
#include "isa/kernels.h"

namespace auris::nn {

void AddMatVecMany(const Matrix& wt, std::span<const float* const> x, std::span<float* const> y) {
  AURIS_CHECK(x.size() == y.size());
  isa::Active().add_mat_vec_many(wt.data(), wt.cols(), wt.rows(), x.data(), y.data(),
                                 static_cast<long>(x.size()));
}

}  // namespace auris::nn
