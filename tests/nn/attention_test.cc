// MultiHeadAttention: PyTorch parity (forward, attention weights, gradients)
// for padding / causal / windowed / ALiBi masks, finite-difference gradient
// checks, option validation.
#include "auris/nn/attention.h"

#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <string>

#include "attention_test_util.h"
#include "auris/core/error.h"
#include "gradcheck.h"
#include "tolerances.h"

namespace auris::nn {
namespace {

using test::LoadAttentionBatch;
using test::LoadAttentionRef;
using test::LoadAttentionRefInts;
using test::MaxRelError;

// The torch state_dict names and the files make_nn_attention.py stores them in.
const char* const kTorchNames[] = {"in_proj_weight", "in_proj_bias", "out_proj.weight", "out_proj.bias"};

std::string FileStem(std::string name) {
  std::replace(name.begin(), name.end(), '.', '_');
  return name;
}

// Loads the torch weights through ParamStore::Import: names and shapes must
// be exactly torch's for this to succeed.
void ImportTorchWeights(ParamStore& store) {
  std::vector<NamedTensor> tensors;
  for (const char* name : kTorchNames) {
    const io::NpyArray a = LoadAttentionRef(FileStem(name));
    NamedTensor t;
    t.name = name;
    for (auto n : a.shape) t.shape.push_back(static_cast<std::int64_t>(n));
    t.data.assign(a.values.begin(), a.values.end());
    tensors.push_back(std::move(t));
  }
  store.Import(tensors);
}

void CheckParityCase(const std::string& name) {
  CAPTURE(name);
  const std::vector<int> o = LoadAttentionRefInts(name + "_options");
  AttentionOptions opts;
  opts.embed_dim = 16;
  opts.num_heads = 4;
  opts.causal = o[0] != 0;
  opts.window_frames = o[1];
  opts.positional = o[2] ? "alibi" : "none";
  ParamStore store;
  Rng rng(3);
  MultiHeadAttention mha(store, "", opts, rng);
  ImportTorchWeights(store);

  const SeqBatch x = LoadAttentionBatch(name + "_x", name + "_lengths");
  RunContext ctx;
  std::unique_ptr<LayerCache> cache;
  const SeqBatch y = mha.Forward(x, store, ctx, &cache);
  CHECK(MaxRelError(y.data, LoadAttentionRef(name + "_y").ToMatrixD()) <= test::tol::kForwardRel);

  // Per-head weights: reference row (b*H + h)*T + t, valid region only.
  const MatrixD w_ref = LoadAttentionRef(name + "_w").ToMatrixD();
  for (int b = 0; b < x.batch; ++b)
    for (int h = 0; h < opts.num_heads; ++h) {
      const int len = x.lengths[b];
      const Matrix w = mha.AttentionWeights(*cache, b, h);
      const MatrixD ref = w_ref.block((static_cast<Eigen::Index>(b) * opts.num_heads + h) * x.steps, 0, len, len);
      CHECK_MESSAGE(MaxRelError(w, ref) <= test::tol::kForwardRel, "b=" << b << " h=" << h);
    }

  SeqBatch gy = y;
  gy.data = LoadAttentionRef(name + "_gy").ToMatrix();
  Grads grads(store);
  const SeqBatch dx = mha.Backward(gy, store, *cache, grads);
  CHECK(MaxRelError(dx.data, LoadAttentionRef(name + "_dx").ToMatrixD()) <= test::tol::kGradientRel);
  for (int i = 0; i < store.Size(); ++i) {
    const MatrixD ref = LoadAttentionRef(name + "_d" + FileStem(store[i].name)).ToMatrixD();
    CHECK_MESSAGE(MaxRelError(grads.g[i], ref) <= test::tol::kGradientRel, store[i].name);
  }
}

TEST_CASE("attention: forward, weights and gradients match torch.nn.MultiheadAttention") {
  AURIS_REQUIRE_REF(ref, "nn_attention_pad_x.npy");
  // pad: key padding only; causal; window 3; ALiBi + window 4; non-causal
  // with left window 3; 150 frames with window 40 (several query blocks).
  for (const char* name : {"pad", "causal", "window", "alibi", "left_window", "long_window"})
    CheckParityCase(name);
}

MultiHeadAttention MakeRandomAttention(ParamStore& store, const AttentionOptions& opts, Rng& rng) {
  MultiHeadAttention mha(store, "attn", opts, rng);
  for (int i = 0; i < store.Size(); ++i) {  // non-zero biases too
    test::FillGaussian(store[i].value, rng);
    store[i].value *= 0.5f;
  }
  return mha;
}

void GradCheck(bool causal, int window, const std::string& positional) {
  CAPTURE(causal);
  CAPTURE(window);
  CAPTURE(positional);
  AttentionOptions opts;
  opts.embed_dim = 8;
  opts.num_heads = 2;
  opts.causal = causal;
  opts.window_frames = window;
  opts.positional = positional;
  ParamStore store;
  Rng rng(11);
  const MultiHeadAttention mha = MakeRandomAttention(store, opts, rng);
  const SeqBatch x = test::RandomSeqBatch({6, 0, 4, 1}, opts.embed_dim, rng);
  const test::GradCheckReport report = test::CheckLayerGradients(mha, store, x);
  CHECK_MESSAGE(report.Ok(), report.ToString());
  CHECK(report.checks.size() == 5);  // input + 4 parameters
}

TEST_CASE("attention: finite-difference gradients (padding, causal, window, ALiBi)") {
  GradCheck(false, 0, "none");  // key padding only
  GradCheck(true, 0, "none");
  GradCheck(true, 2, "none");
  GradCheck(true, 3, "alibi");
  GradCheck(false, 2, "alibi");  // left window, right unlimited
}

TEST_CASE("attention: parameters use torch names and shapes under a prefix") {
  AttentionOptions opts;
  opts.embed_dim = 12;
  opts.num_heads = 3;
  ParamStore store;
  Rng rng(1);
  MultiHeadAttention a(store, "encoder.2", opts, rng);
  MultiHeadAttention b(store, "head.", opts, rng);
  REQUIRE(store.Size() == 8);
  CHECK(store[0].name == "encoder.2.in_proj_weight");
  CHECK(store[0].shape == std::vector<std::int64_t>{36, 12});
  CHECK(store[1].name == "encoder.2.in_proj_bias");
  CHECK(store[1].shape == std::vector<std::int64_t>{36});
  CHECK(store[2].name == "encoder.2.out_proj.weight");
  CHECK(store[2].shape == std::vector<std::int64_t>{12, 12});
  CHECK(store[3].name == "encoder.2.out_proj.bias");
  CHECK(store[4].name == "head.in_proj_weight");
  // PyTorch init: xavier-uniform bound sqrt(6 / (E + 3E)), biases zero.
  const float bound = std::sqrt(6.0f / 48.0f);
  CHECK(store[0].value.cwiseAbs().maxCoeff() <= bound);
  CHECK(store[0].value.cwiseAbs().maxCoeff() > 0.8f * bound);
  CHECK(store[1].value.isZero());
  CHECK(store[3].value.isZero());
}

TEST_CASE("attention: options are validated") {
  AttentionOptions opts;
  CHECK_NOTHROW(opts.Validate());
  CHECK(opts.ToString() == "embed_dim=128 num_heads=4 causal=1 window_frames=100 positional=none");
  opts.num_heads = 5;
  CHECK_THROWS_WITH_AS(opts.Validate(), doctest::Contains("multiple of num_heads"), auris::Error);
  opts = {};
  opts.window_frames = -1;
  CHECK_THROWS_WITH_AS(opts.Validate(), doctest::Contains("window_frames"), auris::Error);
  opts = {};
  opts.positional = "sinusoidal";
  CHECK_THROWS_WITH_AS(opts.Validate(), doctest::Contains("\"alibi\""), auris::Error);
  ParamStore store;
  Rng rng(1);
  opts.num_heads = 0;
  CHECK_THROWS_AS(MultiHeadAttention(store, "", opts, rng), auris::Error);
}

TEST_CASE("attention: ALiBi slopes are 2^(-8 (h+1) / H)") {
  const std::vector<float> s = AlibiSlopes(4);
  REQUIRE(s.size() == 4);
  CHECK(s[0] == doctest::Approx(0.25));
  CHECK(s[1] == doctest::Approx(0.0625));
  CHECK(s[3] == doctest::Approx(1.0 / 256));
}

TEST_CASE("attention: wrong input width or a foreign cache is an error") {
  AttentionOptions opts;
  opts.embed_dim = 8;
  opts.num_heads = 2;
  ParamStore store;
  Rng rng(1);
  MultiHeadAttention mha(store, "", opts, rng);
  const SeqBatch x = test::RandomSeqBatch({3}, 6, rng);
  RunContext ctx;
  CHECK_THROWS_WITH_AS(mha.Forward(x, store, ctx, nullptr), doctest::Contains("width"), auris::Error);
  struct Other : LayerCache {};
  Grads grads(store);
  CHECK_THROWS_AS(mha.Backward(x, store, Other{}, grads), auris::Error);
}

}  // namespace
}  // namespace auris::nn
