// Helpers for the attention tests: reference loading (make_nn_attention.py
// output, "nn_attention_*.npy") and a max-norm relative error.
#pragma once

#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "auris/core/eigen.h"
#include "auris/io/npy.h"
#include "auris/nn/seq_batch.h"
#include "test_support.h"

namespace auris::test {

inline io::NpyArray LoadAttentionRef(const std::string& name) {
  const std::string path = RefFile("nn_attention_" + name + ".npy");
  REQUIRE_MESSAGE(!path.empty(), "missing reference nn_attention_" << name << ".npy");
  return io::ReadNpy(path);
}

inline std::vector<int> LoadAttentionRefInts(const std::string& name) {
  const io::NpyArray a = LoadAttentionRef(name);
  return std::vector<int>(a.values.begin(), a.values.end());
}

// A time-major SeqBatch from a (T·B) x E reference and its lengths.
inline nn::SeqBatch LoadAttentionBatch(const std::string& x_name, const std::string& lengths_name) {
  nn::SeqBatch s;
  s.data = LoadAttentionRef(x_name).ToMatrix();
  s.lengths = LoadAttentionRefInts(lengths_name);
  s.batch = static_cast<int>(s.lengths.size());
  REQUIRE(s.data.rows() % s.batch == 0);
  s.steps = static_cast<int>(s.data.rows() / s.batch);
  return s;
}

// max |a - ref| / max |ref| over all entries; NaN anywhere gives NaN (fails
// any <= check). Stricter than a norm-based error: every entry counts.
template <typename A, typename B>
double MaxRelError(const A& a, const B& ref) {
  REQUIRE(a.rows() == ref.rows());
  REQUIRE(a.cols() == ref.cols());
  double diff = 0, scale = 0;
  for (Eigen::Index i = 0; i < a.rows(); ++i)
    for (Eigen::Index j = 0; j < a.cols(); ++j) {
      const double x = a(i, j), y = ref(i, j);
      if (std::isnan(x) || std::isnan(y)) return std::nan("");
      diff = std::max(diff, std::abs(x - y));
      scale = std::max(scale, std::abs(y));
    }
  return scale > 0 ? diff / scale : diff;
}

}  // namespace auris::test
