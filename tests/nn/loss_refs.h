// Helpers for the loss/optimizer tests: load make_nn_losses.py output
// ("nnl_<name>.npy") and compare with a norm-based relative error.
#pragma once

#include <cmath>
#include <string>
#include <vector>

#include "auris/core/eigen.h"
#include "auris/io/npy.h"
#include "test_support.h"

namespace auris::test {

inline bool HaveLossRefs() { return !RefFile("nnl_lr_schedules.json").empty(); }

inline MatrixD LoadLossRef(const std::string& name) {
  const std::string path = RefFile("nnl_" + name + ".npy");
  REQUIRE_MESSAGE(!path.empty(), "missing reference nnl_" << name << ".npy");
  return io::ReadNpy(path).ToMatrixD();
}

inline std::vector<int> LoadLossRefInts(const std::string& name) {
  const MatrixD m = LoadLossRef(name);
  std::vector<int> v(m.size());
  for (Eigen::Index i = 0; i < m.size(); ++i) v[i] = static_cast<int>(m.data()[i]);
  return v;
}

// ||a - b|| / ||b|| over all entries (b the reference); NaN anywhere fails.
template <typename A, typename B>
  requires requires(const A& a, const B& b) { a.data(), b.data(); }
double RelError(const A& a, const B& b) {
  REQUIRE(a.size() == b.size());
  double diff2 = 0, ref2 = 0;
  for (Eigen::Index i = 0; i < a.size(); ++i) {
    const double x = a.data()[i], y = b.data()[i];
    diff2 += (x - y) * (x - y);
    ref2 += y * y;
  }
  return ref2 > 0 ? std::sqrt(diff2 / ref2) : std::sqrt(diff2);
}

inline double RelError(double a, double b) { return std::abs(a - b) / std::max(std::abs(b), 1e-30); }

}  // namespace auris::test
