// Lstm: finite-difference gradients (uni/bi, multi-layer, padding, dropout
// with a fixed mask), padding semantics, step-wise == whole sequence.
#include <doctest/doctest.h>

#include <cmath>

#include "auris/core/error.h"
#include "auris/nn/lstm.h"
#include "gradcheck.h"

namespace auris::nn {

TEST_CASE("Lstm: parameter names and shapes follow torch.nn.LSTM") {
  ParamStore params;
  Rng rng(1);
  Lstm lstm(params, "encoder.0.", {.input = 3, .hidden = 4, .num_layers = 2, .bidirectional = true}, rng);
  CHECK(params.Size() == 16);
  CHECK(params[params.Find("encoder.0.weight_ih_l0")].shape == std::vector<std::int64_t>{16, 3});
  CHECK(params[params.Find("encoder.0.weight_ih_l1_reverse")].shape == std::vector<std::int64_t>{16, 8});
  CHECK(params[params.Find("encoder.0.weight_hh_l1")].shape == std::vector<std::int64_t>{16, 4});
  CHECK(params[params.Find("encoder.0.bias_hh_l0_reverse")].shape == std::vector<std::int64_t>{16});
  CHECK(lstm.OutputDim() == 8);
  CHECK_FALSE(lstm.IsCausal());
  CHECK(params[0].value.cwiseAbs().maxCoeff() <= 0.5f);  // uniform(-1/sqrt(4), 1/sqrt(4))
  CHECK_THROWS_AS(lstm.NewStepState(params), Error);
  CHECK_THROWS_AS(Lstm(params, "x.", {.input = 3, .hidden = 0}, rng), Error);
}

TEST_CASE("Lstm: one step by hand") {
  ParamStore params;
  Rng rng(2);
  Lstm lstm(params, "", {.input = 1, .hidden = 1}, rng);
  params[params.Find("weight_ih_l0")].value << 0.5f, -0.5f, 1.0f, 2.0f;  // i f g o
  params[params.Find("weight_hh_l0")].value.setZero();
  params[params.Find("bias_ih_l0")].value.setZero();
  params[params.Find("bias_hh_l0")].value << 0.1f, 0.0f, 0.0f, 0.0f;
  RunContext ctx;
  const SeqBatch y = lstm.Forward(SeqBatch::FromSequences({Matrix{{2.0f}}}), params, ctx, nullptr);
  auto sig = [](double v) { return 1.0 / (1.0 + std::exp(-v)); };
  const double c = sig(1.1) * std::tanh(2.0);  // f * c0 = 0
  CHECK(y.data(0, 0) == doctest::Approx(sig(4.0) * std::tanh(c)).epsilon(1e-6));
}

TEST_CASE("Lstm: padding does not change the valid frames of any sequence") {
  for (bool bidirectional : {false, true}) {
    CAPTURE(bidirectional);
    ParamStore params;
    Rng rng(3);
    Lstm lstm(params, "", {.input = 3, .hidden = 5, .num_layers = 2, .bidirectional = bidirectional}, rng);
    const SeqBatch batch = test::RandomSeqBatch({6, 2, 4}, 3, rng);
    RunContext ctx;
    const SeqBatch y = lstm.Forward(batch, params, ctx, nullptr);
    const auto seqs = batch.ToSequences();
    for (int b = 0; b < batch.batch; ++b) {
      const SeqBatch alone = lstm.Forward(SeqBatch::FromSequences({seqs[b]}), params, ctx, nullptr);
      for (int t = 0; t < batch.steps; ++t) {
        if (t < batch.lengths[b])
          CHECK((y.Frame(t, b) - alone.Frame(t, 0)).cwiseAbs().maxCoeff() < 1e-6f);
        else
          CHECK(y.Frame(t, b).isZero());
      }
    }
  }
}

TEST_CASE("Lstm: gradients by finite differences") {
  struct Case {
    LstmOptions opts;
    bool training;
  };
  const Case cases[] = {
      {{.input = 3, .hidden = 4, .num_layers = 1}, false},
      {{.input = 3, .hidden = 4, .num_layers = 2}, false},
      {{.input = 3, .hidden = 4, .num_layers = 2, .bidirectional = true}, false},
      {{.input = 3, .hidden = 4, .num_layers = 2, .bidirectional = true, .dropout = 0.3f}, true},
  };
  for (const Case& cs : cases) {
    CAPTURE(cs.opts.ToString());
    ParamStore params;
    Rng rng(4);
    Lstm lstm(params, "lstm.", cs.opts, rng);
    for (int i = 0; i < params.Size(); ++i) params[i].value *= 2.0f;  // less saturated than zero-ish
    const SeqBatch x = test::RandomSeqBatch({5, 2, 0, 4}, 3, rng);
    const auto report = test::CheckLayerGradients(lstm, params, x, {.training = cs.training});
    CHECK_MESSAGE(report.Ok(), report.ToString());
  }
}

TEST_CASE("Lstm: Step over a sequence equals Forward, Reset restarts") {
  ParamStore params;
  Rng rng(5);
  Lstm lstm(params, "", {.input = 6, .hidden = 8, .num_layers = 2}, rng);
  const SeqBatch x = test::RandomSeqBatch({23, 17}, 6, rng);
  RunContext ctx;
  const SeqBatch y = lstm.Forward(x, params, ctx, nullptr);
  auto state = lstm.NewStepState(params);
  RowVector out(8);
  for (int b = 0; b < 2; ++b) {
    state->Reset();
    for (int t = 0; t < x.lengths[b]; ++t) {
      lstm.Step(x.Frame(t, b).data(), params, *state, out.data());
      CHECK((out - y.Frame(t, b)).cwiseAbs().maxCoeff() < 1e-5f);
    }
  }
}

}  // namespace auris::nn
