// Helpers for the deltas / CMVN tests: reading the references written by
// tests/reference/make_deltas_cmvn.py, comparing with a relative-to-scale
// tolerance, and streaming a matrix through an online stage in random chunks.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <initializer_list>
#include <string>

#include "auris/core/eigen.h"
#include "auris/core/rng.h"
#include "auris/io/npy.h"
#include "test_support.h"

namespace auris::test {

inline Matrix ReadMatrix(const std::string& path) { return io::ReadNpy(path).ToMatrix(); }
inline MatrixD ReadMatrixD(const std::string& path) { return io::ReadNpy(path).ToMatrixD(); }

// max |got - want| / max(1, |want|) over all elements; shapes must agree.
inline double MaxScaledError(const Matrix& got, const MatrixD& want) {
  REQUIRE(got.rows() == want.rows());
  REQUIRE(got.cols() == want.cols());
  double worst = 0.0;
  for (Eigen::Index r = 0; r < got.rows(); ++r)
    for (Eigen::Index c = 0; c < got.cols(); ++c)
      worst = std::max(worst, std::abs(got(r, c) - want(r, c)) / std::max(1.0, std::abs(want(r, c))));
  return worst;
}

// Calls fn(input, x) with each reference input dc_in_<input>.npy; an absent
// one is reported and the test marked skipped.
template <typename Inputs, typename Fn>
void ForEachReferenceInput(const Inputs& inputs, Fn fn) {
  for (const char* input : inputs) {
    const std::string name = std::string("dc_in_") + input + ".npy";
    const std::string path = RefFile(name);
    if (path.empty()) {
      MESSAGE("SKIPPED: reference " << name << " not found in " << RefDir());
      MarkSkipped();
      continue;
    }
    fn(input, ReadMatrix(path));
  }
}
template <typename Fn>
void ForEachReferenceInput(std::initializer_list<const char*> inputs, Fn fn) {
  ForEachReferenceInput<std::initializer_list<const char*>, Fn>(inputs, fn);
}

inline bool BitwiseEqual(const Matrix& a, const Matrix& b) {
  return a.rows() == b.rows() && a.cols() == b.cols() &&
         std::equal(a.data(), a.data() + a.size(), b.data());
}

// A smooth random walk (frames x dim) with per-dimension offsets.
inline Matrix RandomWalk(int frames, int dim, std::uint64_t seed) {
  Rng rng(seed);
  Matrix m(frames, dim);
  for (int d = 0; d < dim; ++d) {
    double x = rng.Gaussian() * 10.0;
    for (int t = 0; t < frames; ++t) {
      x += rng.Gaussian() * 0.5;
      m(t, d) = static_cast<float>(x);
    }
  }
  return m;
}

// Feeds `in` to `stage` in random chunks (1 frame up to the whole input, via
// AcceptFrame and AcceptFrames), reading and popping the ready frames after
// every chunk, then finishes. Returns everything read, in order.
template <class Stage>
Matrix StreamInRandomChunks(Stage& stage, const Matrix& in, std::uint64_t seed) {
  Rng rng(seed);
  Matrix out(in.rows(), stage.OutputDim());
  std::int64_t read = 0;
  auto drain = [&] {
    const std::int64_t ready = stage.NumFramesReady();
    if (ready > read) out.middleRows(read, ready - read) = stage.GetFrames(read, ready - read);
    stage.Pop(ready - stage.NumFramesPopped());
    read = ready;
  };
  for (Eigen::Index t = 0; t < in.rows();) {
    // Mostly small chunks, sometimes everything that is left.
    const Eigen::Index left = in.rows() - t;
    const Eigen::Index n =
        rng.Uniform() < 0.1 ? left : std::min<Eigen::Index>(left, 1 + rng.Index(40));
    if (n == 1 && rng.Uniform() < 0.5) {
      stage.AcceptFrame(in.row(t).data());
    } else {
      stage.AcceptFrames(in.middleRows(t, n));
    }
    t += n;
    drain();
  }
  stage.InputFinished();
  drain();
  REQUIRE(read == in.rows());
  return out;
}

}  // namespace auris::test
