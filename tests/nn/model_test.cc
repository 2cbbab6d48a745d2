// Model built from JSON: schema, parameter names and count, determinism,
// whole-model gradients, stream == whole sequence, allocation-free Step,
// and the multi-threaded gradient helper.
#include <doctest/doctest.h>

#include <cmath>
#include <nlohmann/json.hpp>

#include "alloc_counter.h"
#include "auris/core/error.h"
#include "auris/nn/attention_pooling.h"
#include "auris/nn/model.h"
#include "auris/nn/parallel_gradient.h"
#include "gradcheck.h"
#include "test_support.h"

namespace auris::nn {
namespace {

// The issue's reference classifier, small enough for tests.
const char* kClassifier = R"({"input_dim": 6, "layers": [
  {"type": "lstm", "hidden": 8, "num_layers": 2},
  {"type": "attention", "heads": 2, "window": 5},
  {"type": "layernorm"},
  {"type": "attention_pool"},
  {"type": "linear", "out": 3}]})";

}  // namespace

TEST_CASE("Model: parameter names, shapes and count") {
  Model m(R"({"input_dim": 40, "layers": [
    {"type": "lstm", "hidden": 128, "num_layers": 2, "dropout": 0.1},
    {"type": "attention", "heads": 4, "dim": 128, "causal": true, "window": 100},
    {"type": "layernorm"},
    {"type": "attention_pool", "queries": 1},
    {"type": "linear", "out": 10}]})");
  const std::int64_t lstm = 4 * 128 * (40 + 128 + 2) + 4 * 128 * (128 + 128 + 2);
  const std::int64_t attention = 3 * 128 * 128 + 3 * 128 + 128 * 128 + 128;
  const std::int64_t expected = lstm + attention + 2 * 128 + 128 + 10 * 128 + 10;
  CHECK(m.NumParams() == expected);
  CHECK(m.InputDim() == 40);
  CHECK(m.OutputDim() == 10);
  CHECK(m.IsCausal());
  CHECK(m.IsPooled());
  const ParamStore& p = m.Params();
  CHECK(p.Find("layers.0.weight_ih_l0") >= 0);
  CHECK(p.Find("layers.0.bias_hh_l1") >= 0);
  CHECK(p.Find("layers.1.in_proj_weight") >= 0);
  CHECK(p.Find("layers.2.weight") >= 0);
  CHECK(p.Find("layers.3.query") >= 0);
  CHECK(p[p.Find("layers.4.weight")].shape == std::vector<std::int64_t>{10, 128});
  // The normalised description has the defaults filled in and rebuilds the same model.
  const auto arch = nlohmann::json::parse(m.Architecture());
  CHECK(arch["layers"][0]["bidirectional"] == false);
  CHECK(arch["layers"][2]["eps"].get<double>() == doctest::Approx(1e-5));
  CHECK(Model(m.Architecture()).NumParams() == expected);
}

TEST_CASE("Model: residual prefixes and bidirectional models are not causal") {
  Model m(R"({"input_dim": 4, "layers": [
    {"type": "lstm", "hidden": 3, "bidirectional": true},
    {"type": "residual", "layers": [{"type": "linear", "out": 5}, {"type": "gelu"},
                                    {"type": "linear", "out": 6}]},
    {"type": "dropout", "p": 0.2}, {"type": "relu"}, {"type": "tanh"}]})");
  CHECK(m.Params().Find("layers.0.weight_hh_l0_reverse") >= 0);
  CHECK(m.Params().Find("layers.1.layers.0.weight") >= 0);
  CHECK(m.Params().Find("layers.1.layers.2.bias") >= 0);
  CHECK(m.OutputDim() == 6);
  CHECK_FALSE(m.IsCausal());
  CHECK_FALSE(m.IsPooled());
  CHECK_THROWS_AS(m.CreateStream(), Error);
}

TEST_CASE("Model: bad descriptions give errors naming the problem") {
  auto error_of = [](const std::string& json) {
    try {
      Model m(json);
    } catch (const Error& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  CHECK(error_of("{").find("invalid JSON") != std::string::npos);
  CHECK(error_of(R"({"layers": []})").find("input_dim") != std::string::npos);
  CHECK(error_of(R"({"input_dim": 4, "layers": [{"type": "conv"}]})").find("unknown layer type") !=
        std::string::npos);
  CHECK(error_of(R"({"input_dim": 4, "layers": [{"type": "lstm"}]})").find("'hidden'") != std::string::npos);
  CHECK(error_of(R"({"input_dim": 4, "layers": [{"type": "linear", "out": 3, "bais": false}]})")
            .find("unknown field 'bais'") != std::string::npos);
  CHECK(error_of(R"({"input_dim": 4, "layers": [{"type": "linear", "out": "x"}]})").find("wrong type") !=
        std::string::npos);
  // Numbers the field's type cannot hold are refused, not cast (undefined behaviour; found by the fuzzer).
  CHECK(error_of(R"({"input_dim": 4, "layers": [{"type": "linear", "out": 1.11111e+74}]})")
            .find("expected an integer, got 1.11111e+74") != std::string::npos);
  CHECK(error_of(R"({"input_dim": 4, "layers": [{"type": "linear", "out": 4294967296}]})").find("out of range") !=
        std::string::npos);
  CHECK(error_of(R"({"input_dim": 4, "layers": [{"type": "linear", "out": 3.5}]})").find("expected an integer") !=
        std::string::npos);
  CHECK(error_of(R"({"input_dim": -4294967297, "layers": []})").find("out of range") != std::string::npos);
  CHECK(error_of(R"({"input_dim": 4, "layers": [{"type": "dropout", "p": 1e300}]})").find("out of range") !=
        std::string::npos);
  CHECK(error_of(R"({"input_dim": 4, "layers": [{"type": "attention", "dim": 8}]})").find("width 4") !=
        std::string::npos);
  CHECK(error_of(R"({"input_dim": 4, "layers": [{"type": "residual", "layers": [{"type": "linear", "out": 3}]}]})")
            .find("layer 0 (residual)") != std::string::npos);
  CHECK(error_of(R"({"input_dim": 4, "layers": [{"type": "lstm", "hidden": 2, "dropout": 1.5}]})")
            .find("layer 0 (lstm)") != std::string::npos);
}

TEST_CASE("Model: per-layer caches give the attention pooling weights") {
  Model m(kClassifier, 12);
  Rng rng(13);
  const SeqBatch x = test::RandomSeqBatch({4, 6}, 6, rng);
  RunContext ctx;
  std::unique_ptr<LayerCache> cache;
  m.Forward(x, ctx, &cache);
  const auto& pool = dynamic_cast<const AttentionPooling&>(m.Layers().At(3));
  const std::vector<Matrix> w = pool.AttentionWeights(m.LayerCacheOf(*cache, 3));
  REQUIRE(w.size() == 2);
  CHECK(w[1].rows() == 6);
  CHECK(w[1].sum() == doctest::Approx(1.0));
  CHECK_THROWS_AS(m.LayerCacheOf(*cache, 5), Error);
}

TEST_CASE("Model: initialisation is deterministic in the seed") {
  Model a(kClassifier, 11), b(kClassifier, 11), c(kClassifier, 12);
  for (int i = 0; i < a.Params().Size(); ++i) CHECK(a.Params()[i].value == b.Params()[i].value);
  CHECK(a.Params()[0].value != c.Params()[0].value);
}

TEST_CASE("Model: whole-model gradients by finite differences") {
  // A residual around the attention keeps LayerNorm's input from being tiny
  // (LayerNorm of a near-constant vector is too curved for finite differences).
  Model m(R"({"input_dim": 6, "layers": [
    {"type": "lstm", "hidden": 8, "num_layers": 2},
    {"type": "residual", "layers": [{"type": "attention", "heads": 2, "window": 5}]},
    {"type": "layernorm"}, {"type": "attention_pool"}, {"type": "linear", "out": 3}]})", 3);
  Rng rng(4);
  const SeqBatch x = test::RandomSeqBatch({7, 3, 5}, 6, rng);
  const auto report = test::CheckLayerGradients(m.Layers(), m.Params(), x);
  CHECK_MESSAGE(report.Ok(), report.ToString());
}

TEST_CASE("ModelStream: Step over random lengths equals Forward on every prefix") {
  const char* arch = R"({"input_dim": 5, "layers": [
    {"type": "linear", "out": 8}, {"type": "gelu"},
    {"type": "lstm", "hidden": 8, "num_layers": 2},
    {"type": "residual", "layers": [{"type": "attention", "heads": 2, "window": 4}]},
    {"type": "layernorm"}, {"type": "linear", "out": 4}]})";
  Model m(arch, 5);
  Rng rng(6);
  std::vector<int> lengths;
  for (int i = 0; i < 4; ++i) lengths.push_back(1 + static_cast<int>(rng.Index(30)));
  const SeqBatch x = test::RandomSeqBatch(lengths, 5, rng);
  RunContext ctx;
  const SeqBatch y = m.Forward(x, ctx);
  ModelStream stream = m.CreateStream();
  for (int b = 0; b < x.batch; ++b) {
    stream.Reset();
    for (int t = 0; t < x.lengths[b]; ++t) {
      const float* out = stream.Step(x.Frame(t, b).data());
      const float err = (Eigen::Map<const RowVector>(out, 4) - y.Frame(t, b)).cwiseAbs().maxCoeff();
      CHECK(err < 2e-5f);
    }
  }
}

TEST_CASE("ModelStream: pooled classifier output after each frame equals Forward on the prefix") {
  Model m(kClassifier, 7);
  Rng rng(8);
  const SeqBatch x = test::RandomSeqBatch({12}, 6, rng);
  ModelStream stream = m.CreateStream();
  const auto seq = x.ToSequences()[0];
  RunContext ctx;
  for (int t = 0; t < 12; ++t) {
    const float* out = stream.Step(seq.row(t).data());
    const SeqBatch y = m.Forward(SeqBatch::FromSequences({Matrix(seq.topRows(t + 1))}), ctx);
    CHECK((Eigen::Map<const RowVector>(out, 3) - y.Frame(0, 0)).cwiseAbs().maxCoeff() < 2e-5f);
  }
}

TEST_CASE("ModelStream: Step allocates nothing") {
  AURIS_SKIP_IF(!test::AllocCounterActive(), "allocation counting is off under the sanitizers");
  Model m(R"({"input_dim": 40, "layers": [
    {"type": "lstm", "hidden": 32, "num_layers": 2},
    {"type": "attention", "heads": 4, "window": 10},
    {"type": "layernorm"}, {"type": "attention_pool"}, {"type": "linear", "out": 10}]})");
  const long long start = test::AllocationCount();
  ModelStream stream = m.CreateStream();
  CHECK(test::AllocationCount() > start);  // the counter sees the state's buffers
  RowVector frame = RowVector::Ones(40);
  stream.Step(frame.data());
  const long long before = test::AllocationCount();
  for (int t = 0; t < 50; ++t) stream.Step(frame.data());  // past the 10-frame window
  CHECK(test::AllocationCount() == before);
}

TEST_CASE("ParallelGradient: equals the full-batch mean gradient, deterministic per shard count") {
  Model m(kClassifier, 9);
  Rng rng(10);
  const SeqBatch x = test::RandomSeqBatch({5, 9, 3, 7, 6}, 6, rng);
  Matrix target(5, 3);
  test::FillGaussian(target, rng);
  // loss_b = 0.5 |y_b - target_b|^2 summed over the shard; count = sequences.
  const ShardLoss loss = [&](const SeqBatch& out, int first, SeqBatch& grad) {
    LossSum l;
    for (int b = 0; b < out.batch; ++b) {
      const RowVector d = out.Frame(0, b) - target.row(first + b);
      l.sum += 0.5 * d.squaredNorm();
      grad.Frame(0, b) = d;
    }
    l.count = out.batch;
    return l;
  };
  // Reference: one Forward/Backward on the whole batch, divided by B.
  RunContext ctx;
  std::unique_ptr<LayerCache> cache;
  const SeqBatch y = m.Forward(x, ctx, &cache);
  SeqBatch gy = SeqBatch::ZerosLike(y, y.Dim());
  const LossSum full = loss(y, 0, gy);
  Grads ref(m.Params());
  m.Backward(gy, *cache, ref);
  ref.Scale(1.0f / 5);

  Grads two(m.Params()), two_again(m.Params()), three(m.Params());
  ParallelGradient pg2(m, {.num_threads = 2});
  const double loss2 = pg2.Compute(x, loss, false, 0, two);
  CHECK(loss2 == doctest::Approx(full.sum / 5).epsilon(1e-5));
  ParallelGradient pg1(m, {.num_threads = 1, .num_shards = 2});
  pg1.Compute(x, loss, false, 0, two_again);
  ParallelGradient pg3(m, {.num_threads = 2, .num_shards = 3});
  pg3.Compute(x, loss, false, 0, three);
  for (int i = 0; i < m.Params().Size(); ++i) {
    CAPTURE(m.Params()[i].name);
    const float scale = std::max(ref.g[i].cwiseAbs().maxCoeff(), 1e-6f);
    CHECK((two.g[i] - ref.g[i]).cwiseAbs().maxCoeff() / scale < 1e-3f);
    CHECK((three.g[i] - ref.g[i]).cwiseAbs().maxCoeff() / scale < 1e-3f);
    CHECK(two.g[i] == two_again.g[i]);  // same shards, different thread count: bit-identical
  }
}

}  // namespace auris::nn
