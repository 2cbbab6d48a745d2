// Streams of one layer share its step weights (one copy per model, not per
// stream), float and int8 apart, and a stream's outputs do not depend on
// which other streams live beside it.
#include <doctest/doctest.h>

#include <vector>

#include "auris/core/rng.h"
#include "auris/nn/model.h"
#include "auris/nn/shared_step_weights.h"
#include "gradcheck.h"

namespace auris::nn {
namespace {

TEST_CASE("shared step weights: one object while a stream holds it, made again after the last is gone") {
  SharedStepWeights<std::vector<int>> shared;
  ParamStore params, other;
  int made = 0;
  auto make = [&made] { return std::vector<int>{++made}; };
  auto a = shared.Get(params, make);
  auto b = shared.Get(params, make);
  CHECK(a == b);
  CHECK(made == 1);
  params.SetInt8Step(true);
  auto q = shared.Get(params, make);  // int8 is kept apart from float
  CHECK(q != a);
  CHECK(made == 2);
  params.SetInt8Step(false);
  CHECK(shared.Get(params, make) == a);
  a.reset();
  b.reset();
  auto d = shared.Get(params, make);  // every holder gone: derived again
  CHECK(made == 3);
  CHECK((*d)[0] == 3);
  // Other parameters (a layer is used with its own model's) never get these.
  auto c = shared.Get(other, make);
  CHECK(c != d);
  CHECK((*c)[0] == 4);
}

TEST_CASE("float and int8 streams of one model live together, each as it would alone") {
  Model m(R"({"input_dim": 6, "layers": [{"type": "linear", "out": 16}, {"type": "gelu"},
    {"type": "lstm", "hidden": 24, "num_layers": 2}, {"type": "linear", "out": 5}]})", 3);
  Rng rng(5);
  const SeqBatch x = test::RandomSeqBatch({30}, 6, rng);
  auto run_alone = [&](bool int8) {
    m.Params().SetInt8Step(int8);
    ModelStream s = m.CreateStream();
    std::vector<float> out;
    for (int t = 0; t < 30; ++t) {
      const float* y = s.Step(x.Frame(t, 0).data());
      out.insert(out.end(), y, y + 5);
    }
    return out;
  };
  const std::vector<float> plain = run_alone(false), int8 = run_alone(true);
  REQUIRE(plain != int8);
  m.Params().SetInt8Step(false);
  ModelStream f1 = m.CreateStream(), f2 = m.CreateStream();
  m.Params().SetInt8Step(true);
  ModelStream q1 = m.CreateStream();
  std::vector<float> got_f1, got_f2, got_q1;
  for (int t = 0; t < 30; ++t) {
    for (auto [s, got] : {std::pair{&f1, &got_f1}, std::pair{&q1, &got_q1}, std::pair{&f2, &got_f2}}) {
      const float* y = s->Step(x.Frame(t, 0).data());
      got->insert(got->end(), y, y + 5);
    }
  }
  CHECK(got_f1 == plain);
  CHECK(got_f2 == plain);
  CHECK(got_q1 == int8);
}

}  // namespace
}  // namespace auris::nn
