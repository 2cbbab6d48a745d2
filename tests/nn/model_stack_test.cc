// A stacking (low-frame-rate) model, "stack": N, against the same layers
// without it fed frames grouped by hand: Forward, Backward, Step, StepMany.
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include "auris/core/error.h"
#include "auris/nn/model.h"
#include "gradcheck.h"

namespace auris::nn {
namespace {

constexpr int kDim = 4;
constexpr int kStack = 3;

std::string Arch(int input_dim, int stack) {
  nlohmann::json a = {{"input_dim", input_dim},
                      {"layers", {{{"type", "lstm"}, {"hidden", 6}, {"num_layers", 2}},
                                  {{"type", "residual"}, {"layers", {{{"type", "attention"}, {"heads", 2}, {"window", 4}}}}},
                                  {{"type", "linear"}, {"out", 3}}}}};
  if (stack != 0) a["stack"] = stack;  // 0: absent
  return a.dump();
}

// Row t of the result: rows kStack*t .. kStack*t + kStack - 1 side by side.
Matrix Grouped(const Matrix& x) {
  Matrix g(x.rows() / kStack, x.cols() * kStack);
  for (Eigen::Index t = 0; t < g.rows(); ++t)
    for (int k = 0; k < kStack; ++k) g.row(t).segment(k * x.cols(), x.cols()) = x.row(t * kStack + k);
  return g;
}

struct Pair {
  Model stacked{Arch(kDim, kStack), 5};
  Model plain{Arch(kDim * kStack, 0), 5};  // same layer shapes, so the same initial weights
};

}  // namespace

TEST_CASE("Model stack: Forward equals the layers on frames grouped by hand, a partial group is dropped") {
  Pair m;
  REQUIRE(m.stacked.Stack() == kStack);
  CHECK(m.stacked.InputDim() == kDim);
  CHECK(m.stacked.OutputFrames(8) == 2);
  for (int i = 0; i < m.plain.Params().Size(); ++i) REQUIRE(m.stacked.Params()[i].value == m.plain.Params()[i].value);
  Rng rng(6);
  const SeqBatch x = test::RandomSeqBatch({7, 9, 3, 5}, kDim, rng);
  std::vector<Matrix> grouped;
  for (const Matrix& s : x.ToSequences()) grouped.push_back(Grouped(s));
  RunContext ctx;
  const SeqBatch got = m.stacked.Forward(x, ctx);
  const SeqBatch want = m.plain.Forward(SeqBatch::FromSequences(grouped), ctx);
  CHECK(got.lengths == std::vector<int>{2, 3, 1, 1});
  REQUIRE(got.steps == want.steps);
  CHECK(got.data == want.data);
}

TEST_CASE("Model stack: Backward gives the grouped model's weight gradients and its input gradient ungrouped") {
  Pair m;
  Rng rng(7);
  const SeqBatch x = test::RandomSeqBatch({8, 6}, kDim, rng);
  std::vector<Matrix> grouped;
  for (const Matrix& s : x.ToSequences()) grouped.push_back(Grouped(s));
  RunContext ctx;
  std::unique_ptr<LayerCache> cs, cp;
  const SeqBatch ys = m.stacked.Forward(x, ctx, &cs);
  m.plain.Forward(SeqBatch::FromSequences(grouped), ctx, &cp);
  SeqBatch dy = ys;
  dy.data.setRandom();
  dy.ZeroPadding();
  Grads gs(m.stacked.Params()), gp(m.plain.Params());
  const SeqBatch dxs = m.stacked.Backward(dy, *cs, gs);
  const SeqBatch dxp = m.plain.Backward(dy, *cp, gp);
  for (std::size_t i = 0; i < gs.g.size(); ++i) CHECK(gs.g[i] == gp.g[i]);
  REQUIRE(dxs.steps == x.steps);
  CHECK(dxs.lengths == x.lengths);
  const std::vector<Matrix> dx = dxs.ToSequences(), dg = dxp.ToSequences();
  for (std::size_t b = 0; b < dx.size(); ++b) {
    CHECK(Grouped(dx[b]) == dg[b]);
    // Sequence 0 has 8 frames: the 2 after its last full group get no gradient.
    if (b == 0) CHECK(dx[b].bottomRows(2).isZero());
  }
}

TEST_CASE("ModelStream stack: nothing until a group is complete, then Forward's frame, StepMany the same") {
  Model m(Arch(kDim, kStack), 8);
  Rng rng(9);
  const SeqBatch x = test::RandomSeqBatch({10}, kDim, rng);
  RunContext ctx;
  const SeqBatch y = m.Forward(x, ctx);
  ModelStream single = m.CreateStream(), ahead = m.CreateStream(), behind = m.CreateStream();
  ahead.Step(x.Frame(0, 0).data());  // one frame ahead of `behind`, so groups complete at different steps
  for (int t = 0; t < 10; ++t) {
    const float* out = single.Step(x.Frame(t, 0).data());
    CAPTURE(t);
    if (t % kStack != kStack - 1) {
      CHECK(out == nullptr);
    } else {
      REQUIRE(out != nullptr);
      CHECK((Eigen::Map<const RowVector>(out, 3) - y.Frame(t / kStack, 0)).cwiseAbs().maxCoeff() < 2e-5f);
    }
    std::vector<ModelStream*> both{&behind, &ahead};
    ModelStream::StepMany(both, x.Frame(t, 0).data());
    CHECK(behind.FramesSeen() == t + 1);
    CHECK(Eigen::Map<const RowVector>(behind.Output(), 3) == Eigen::Map<const RowVector>(single.Output(), 3));
  }
  // `ahead` saw frame 0 and then frames 0..9: its group ends at steps 2, 5, 8 of the StepMany calls.
  ModelStream check = m.CreateStream();
  check.Step(x.Frame(0, 0).data());
  for (int t = 0; t < 10; ++t) check.Step(x.Frame(t, 0).data());
  CHECK(Eigen::Map<const RowVector>(ahead.Output(), 3) == Eigen::Map<const RowVector>(check.Output(), 3));
}

TEST_CASE("Model stack: only written when given, and bad values are errors") {
  CHECK(Model(Arch(kDim, 0)).Architecture().find("stack") == std::string::npos);
  CHECK(Model(Arch(kDim, 0)).Stack() == 1);
  CHECK(Model(Arch(kDim, 2)).Architecture().find("\"stack\":2") != std::string::npos);
  CHECK_THROWS_WITH_AS(Model(Arch(kDim, -1)), doctest::Contains("'stack' must be in 1..64"), Error);
  CHECK_THROWS_WITH_AS(Model(Arch(kDim, 65)), doctest::Contains("'stack' must be in 1..64"), Error);
  nlohmann::json bad = nlohmann::json::parse(Arch(kDim, 2));
  bad["stack"] = "3";
  CHECK_THROWS_AS(Model(bad.dump()), Error);
}

}  // namespace auris::nn
