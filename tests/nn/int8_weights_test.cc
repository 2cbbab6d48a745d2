// int8 weights for the streaming step (nn/int8_weights.h): the per-row
// quantisation's bound, the int8 kernels against W x in double, and a model
// stepped with int8 weights against Forward of the same model whose float
// weights are the dequantised ones (an independent path: Eigen's batch
// forward), within float rounding.
#include <doctest/doctest.h>

#include <cmath>
#include <string>
#include <vector>

#include "auris/nn/int8_weights.h"
#include "auris/nn/model.h"
#include "gradcheck.h"
#include "test_support.h"

namespace auris::nn {
namespace {

TEST_CASE("QuantizeRows: each weight within half its row's step, 127 at the row's largest, zero rows zero") {
  Rng rng(5);
  Matrix w(37, 29);
  test::FillGaussian(w, rng);
  w.row(4).setZero();
  for (bool transposed : {false, true}) {
    CAPTURE(transposed);
    const Int8Matrix q = QuantizeRows(w, transposed);
    REQUIRE(q.rows == 37);
    REQUIRE(q.cols == 29);
    const Matrix back = Dequantize(q);
    for (long r = 0; r < w.rows(); ++r) {
      const float max = w.row(r).cwiseAbs().maxCoeff();
      CHECK(q.scale[r] == doctest::Approx(max / 127.0f));
      for (long c = 0; c < w.cols(); ++c)
        CHECK(std::abs(back(r, c) - w(r, c)) <= 0.5f * q.scale[r] * (1 + 1e-5f));
      if (max > 0) CHECK(back.row(r).cwiseAbs().maxCoeff() == doctest::Approx(max));
    }
    CHECK(back.row(4).isZero());
    CHECK(back == Dequantize(QuantizeRows(w, !transposed)));
  }
}

TEST_CASE("int8 kernels: W x with the dequantised W in double, a vector alone or with others the same") {
  Rng rng(7);
  for (const auto& [rows, cols] : {std::pair{37, 13}, std::pair{69, 40}, std::pair{512, 128}, std::pair{3, 1}}) {
    CAPTURE(rows);
    CAPTURE(cols);
    Matrix w(rows, cols);
    test::FillGaussian(w, rng);
    const Int8Matrix qt = QuantizeRows(w, true), q = QuantizeRows(w, false);
    const Matrix deq = Dequantize(q);
    const int n = 7;
    std::vector<std::vector<float>> x(n, std::vector<float>(cols)), y(n, std::vector<float>(rows, 0.25f));
    std::vector<const float*> xp;
    std::vector<float*> yp;
    for (int i = 0; i < n; ++i) {
      for (float& v : x[i]) v = static_cast<float>(rng.Uniform(-1, 1));
      xp.push_back(x[i].data());
      yp.push_back(y[i].data());
    }
    AddMatVecManyInt8(qt, xp, yp);
    for (int i = 0; i < n; ++i) {
      std::vector<float> one(rows);
      MatVecInt8(q, x[i].data(), one.data());
      std::vector<float> alone(rows, 0.25f);
      const float* xi[] = {x[i].data()};
      float* yi[] = {alone.data()};
      AddMatVecManyInt8(qt, xi, yi);
      CHECK(alone == y[i]);
      for (int r = 0; r < rows; ++r) {
        double want = 0, scale = 0;
        for (int c = 0; c < cols; ++c) {
          want += static_cast<double>(deq(r, c)) * x[i][c];
          scale += std::abs(static_cast<double>(deq(r, c)) * x[i][c]);
        }
        CHECK(std::abs(one[r] - want) <= 1e-5 * (scale + 1e-30));
        CHECK(std::abs(y[i][r] - 0.25 - want) <= 1e-5 * (scale + 1));
      }
    }
  }
}

TEST_CASE("a model stepped with int8 weights equals Forward with the dequantised weights") {
  const char* arch = R"({"input_dim": 6, "layers": [
    {"type": "linear", "out": 16}, {"type": "gelu"},
    {"type": "lstm", "hidden": 24, "num_layers": 2}, {"type": "linear", "out": 5}]})";
  Model m(arch, 3), deq(arch, 4);
  std::vector<NamedTensor> tensors = m.Params().Export();
  int quantised = 0;
  for (NamedTensor& t : tensors) {
    if (t.shape.size() != 2 || t.name.find("weight") == std::string::npos) continue;
    Matrix w = Eigen::Map<const Matrix>(t.data.data(), t.shape[0], t.shape[1]);
    const Matrix back = Dequantize(QuantizeRows(w, false));
    std::copy(back.data(), back.data() + back.size(), t.data.begin());
    ++quantised;
  }
  CHECK(quantised == 6);  // two linear layers, two lstm layers' input and recurrent weights
  deq.Params().Import(tensors);
  m.Params().SetInt8Step(true);
  Rng rng(9);
  const SeqBatch x = test::RandomSeqBatch({23, 40}, 6, rng);
  RunContext ctx;
  const SeqBatch want = deq.Forward(x, ctx), plain = m.Forward(x, ctx);
  ModelStream stream = m.CreateStream();
  float worst = 0, moved = 0;
  for (int b = 0; b < x.batch; ++b) {
    stream.Reset();
    for (int t = 0; t < x.lengths[b]; ++t) {
      const float* out = stream.Step(x.Frame(t, b).data());
      const Eigen::Map<const RowVector> got(out, 5);
      worst = std::max(worst, (got - want.Frame(t, b)).cwiseAbs().maxCoeff());
      moved = std::max(moved, (got - plain.Frame(t, b)).cwiseAbs().maxCoeff());
    }
  }
  MESSAGE("int8 step vs Forward with dequantised weights: " << worst << "; vs the float weights: " << moved);
  CHECK(worst < 2e-5f);
  CHECK(moved > 1e-4f);  // the int8 path really ran (the float weights give other outputs)
}

}  // namespace
}  // namespace auris::nn
