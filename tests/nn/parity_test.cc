// PyTorch parity of Linear, LayerNorm, GELU and LSTM (uni/bi, 2 layers,
// padded batch via pack_padded_sequence): forward outputs, input gradients
// and every parameter gradient against tests/reference/make_nn_layers.py.
#include <doctest/doctest.h>

#include <algorithm>
#include <functional>
#include <string>

#include "auris/io/npy.h"
#include "auris/nn/activation.h"
#include "auris/nn/layer_norm.h"
#include "auris/nn/linear.h"
#include "auris/nn/lstm.h"
#include "test_support.h"
#include "tolerances.h"

namespace auris::nn {
namespace {

// max|a - b| / max(max|b|, tiny): see tolerances.h.
double RelError(const Matrix& a, const Matrix& b) {
  REQUIRE(a.rows() == b.rows());
  REQUIRE(a.cols() == b.cols());
  const double scale = std::max(static_cast<double>(b.cwiseAbs().maxCoeff()), 1e-12);
  return (a - b).cwiseAbs().maxCoeff() / scale;
}

Matrix Ref(const std::string& case_name, const std::string& what) {
  return io::ReadNpy(test::RefFile("nn_layers_" + case_name + "_" + what + ".npy")).ToMatrix();
}

// Loads the case's parameters into `params` by state_dict name, runs Forward
// and Backward, and compares everything with torch.
void CheckCase(const std::string& case_name, const Layer& layer, ParamStore& params) {
  CAPTURE(case_name);
  const std::string y_file = test::RefFile("nn_layers_" + case_name + "_y.npy");
  AURIS_SKIP_IF(y_file.empty(), "reference nn_layers_" << case_name
                                                       << "_y.npy not found (run tests/reference/make_nn_layers.py)");
  for (int i = 0; i < params.Size(); ++i) {
    const Matrix p = Ref(case_name, "p_" + params[i].name);
    REQUIRE(p.size() == params[i].value.size());
    params[i].value = p.reshaped<Eigen::RowMajor>(params[i].value.rows(), params[i].value.cols());
  }
  const io::NpyArray lengths = io::ReadNpy(test::RefFile("nn_layers_" + case_name + "_lengths.npy"));
  SeqBatch x;
  x.data = Ref(case_name, "x");
  x.batch = static_cast<int>(lengths.Size());
  x.steps = static_cast<int>(x.data.rows()) / x.batch;
  for (double v : lengths.values) x.lengths.push_back(static_cast<int>(v));

  RunContext ctx;
  std::unique_ptr<LayerCache> cache;
  const SeqBatch y = layer.Forward(x, params, ctx, &cache);
  const double fwd = RelError(y.data, Ref(case_name, "y"));
  CHECK(fwd <= test::tol::kForwardRel);

  SeqBatch gy = y;
  gy.data = Ref(case_name, "gy");
  Grads grads(params);
  const SeqBatch dx = layer.Backward(gy, params, *cache, grads);
  const double dx_err = RelError(dx.data, Ref(case_name, "dx"));
  CHECK(dx_err <= test::tol::kGradientRel);
  for (int i = 0; i < params.Size(); ++i) {
    CAPTURE(params[i].name);
    const Matrix g = Ref(case_name, "g_" + params[i].name)
                         .reshaped<Eigen::RowMajor>(params[i].value.rows(), params[i].value.cols());
    const double err = RelError(grads.g[i], g);
    CHECK(err <= test::tol::kGradientRel);
  }
}

}  // namespace

TEST_CASE("PyTorch parity: Linear") {
  ParamStore params;
  Rng rng(0);
  Linear layer(params, "", {.in = 6, .out = 5}, rng);
  CheckCase("linear", layer, params);
}

TEST_CASE("PyTorch parity: LayerNorm") {
  ParamStore params;
  LayerNorm layer(params, "", 6);
  CheckCase("layernorm", layer, params);
}

TEST_CASE("PyTorch parity: GELU") {
  ParamStore params;
  Activation layer(ActivationKind::kGelu, 6);
  CheckCase("gelu", layer, params);
}

TEST_CASE("PyTorch parity: LSTM, 2 layers, unidirectional, padded batch") {
  ParamStore params;
  Rng rng(0);
  Lstm layer(params, "", {.input = 5, .hidden = 6, .num_layers = 2}, rng);
  CheckCase("lstm_uni", layer, params);
}

TEST_CASE("PyTorch parity: LSTM, 2 layers, bidirectional, padded batch") {
  ParamStore params;
  Rng rng(0);
  Lstm layer(params, "", {.input = 5, .hidden = 6, .num_layers = 2, .bidirectional = true}, rng);
  CheckCase("lstm_bi", layer, params);
}

}  // namespace auris::nn
