// Adam / AdamW vs torch.optim (5 steps with stored gradients), resuming from
// exported state, clip_grad_norm_ parity, LR schedules vs torch.optim.lr_scheduler.
#include <doctest/doctest.h>

#include <cmath>
#include <fstream>
#include <nlohmann/json.hpp>

#include "auris/core/error.h"
#include "auris/nn/grad_clip.h"
#include "auris/nn/lr_schedule.h"
#include "auris/nn/optimizer.h"
#include "loss_refs.h"
#include "tolerances.h"

namespace auris::nn {
namespace {

using test::LoadLossRef;
using test::RelError;

constexpr int kSteps = 5;
const std::vector<std::vector<std::int64_t>> kShapes = {{4, 3}, {3}, {2, 5}};

ParamStore MakeStore(const std::string& prefix) {
  ParamStore store;
  for (std::size_t i = 0; i < kShapes.size(); ++i) {
    const int p = store.Add("p" + std::to_string(i), kShapes[i]);
    store[p].value = LoadLossRef(prefix + "_init_" + std::to_string(i)).cast<float>().reshaped<Eigen::RowMajor>(
        store[p].value.rows(), store[p].value.cols());
  }
  return store;
}

Grads LoadGrads(const ParamStore& store, const std::string& prefix, int step) {
  Grads g(store);
  for (int i = 0; i < store.Size(); ++i)
    g.g[i] = LoadLossRef(prefix + "_grad_" + std::to_string(step) + "_" + std::to_string(i))
                 .cast<float>()
                 .reshaped<Eigen::RowMajor>(g.g[i].rows(), g.g[i].cols());
  return g;
}

double ParamError(const ParamStore& store, const std::string& prefix, int step) {
  double worst = 0;
  for (int i = 0; i < store.Size(); ++i) {
    const MatrixD ref = LoadLossRef(prefix + "_param_" + std::to_string(step) + "_" + std::to_string(i));
    worst = std::max(worst, RelError(store[i].value, ref));
  }
  return worst;
}

AdamOptions TorchConfig(const std::string& name) {
  // The configurations of make_nn_losses.py.
  if (name == "adam") {
    AdamOptions o;
    o.lr = 0.02f;
    o.beta1 = 0.9f;
    o.beta2 = 0.99f;
    o.eps = 1e-6f;
    o.weight_decay = 0.05f;
    return o;
  }
  AdamOptions o = AdamOptions::AdamW(0.01f, 0.1f);
  o.beta1 = 0.8f;
  o.beta2 = 0.98f;
  o.eps = 1e-7f;
  return o;
}

TEST_CASE("Adam and AdamW match torch.optim over 5 steps") {
  AURIS_SKIP_IF(!test::HaveLossRefs(), "make_nn_losses.py output not found in " << test::RefDir());
  for (const std::string name : {"adam", "adamw"}) {
    CAPTURE(name);
    ParamStore store = MakeStore("opt_" + name);
    Adam opt(store, TorchConfig(name));
    for (int s = 0; s < kSteps; ++s) {
      opt.Step(store, LoadGrads(store, "opt_" + name, s));
      CAPTURE(s);
      CHECK(ParamError(store, "opt_" + name, s) <= test::tol::kOptimizerRel);
    }
    CHECK(opt.StepCount() == kSteps);
  }
}

TEST_CASE("Adam: decoupled and L2 weight decay differ (the flag is honoured)") {
  AURIS_SKIP_IF(!test::HaveLossRefs(), "make_nn_losses.py output not found in " << test::RefDir());
  // AdamW's reference run with plain-Adam arithmetic must NOT match.
  ParamStore store = MakeStore("opt_adamw");
  AdamOptions o = TorchConfig("adamw");
  o.decoupled_weight_decay = false;
  Adam opt(store, o);
  for (int s = 0; s < kSteps; ++s) opt.Step(store, LoadGrads(store, "opt_adamw", s));
  CHECK(ParamError(store, "opt_adamw", kSteps - 1) > 10 * test::tol::kOptimizerRel);
}

TEST_CASE("AdamW resumed from exported state continues exactly") {
  AURIS_SKIP_IF(!test::HaveLossRefs(), "make_nn_losses.py output not found in " << test::RefDir());
  ParamStore store = MakeStore("opt_adamw");
  std::vector<NamedTensor> state;
  {
    Adam first(store, TorchConfig("adamw"));
    for (int s = 0; s < 3; ++s) first.Step(store, LoadGrads(store, "opt_adamw", s));
    state = first.ExportState(store);
  }
  REQUIRE(state.size() == 2 * kShapes.size() + 1);
  CHECK(state[0].name == "optim.exp_avg.p0");
  CHECK(state[1].name == "optim.exp_avg_sq.p0");
  CHECK(state.back().name == "optim.step");
  CHECK(state.back().data == std::vector<float>{3.0f});
  Adam resumed(store, TorchConfig("adamw"));
  resumed.ImportState(store, state);
  CHECK(resumed.StepCount() == 3);
  for (int s = 3; s < kSteps; ++s) resumed.Step(store, LoadGrads(store, "opt_adamw", s));
  CHECK(ParamError(store, "opt_adamw", kSteps - 1) <= test::tol::kOptimizerRel);

  // A fresh optimizer (no import) continuing from step 3 diverges from torch.
  ParamStore again = MakeStore("opt_adamw");
  Adam a(again, TorchConfig("adamw"));
  for (int s = 0; s < 3; ++s) a.Step(again, LoadGrads(again, "opt_adamw", s));
  Adam fresh(again, TorchConfig("adamw"));
  for (int s = 3; s < kSteps; ++s) fresh.Step(again, LoadGrads(again, "opt_adamw", s));
  CHECK(ParamError(again, "opt_adamw", kSteps - 1) > 10 * test::tol::kOptimizerRel);
}

TEST_CASE("Adam state import: clear errors, state untouched on failure") {
  ParamStore store;
  store.Add("w", {2, 2});
  Adam opt(store, AdamOptions{});
  auto state = opt.ExportState(store);
  auto missing = state;
  missing.erase(missing.begin());
  CHECK_THROWS_WITH_AS(opt.ImportState(store, missing), doctest::Contains("optim.exp_avg.w"), Error);
  auto bad_shape = state;
  bad_shape[1].shape = {4};
  CHECK_THROWS_WITH_AS(opt.ImportState(store, bad_shape), doctest::Contains("shape"), Error);
  auto bad_step = state;
  bad_step.back().data = {-1.0f};
  CHECK_THROWS_WITH_AS(opt.ImportState(store, bad_step), doctest::Contains("step"), Error);
  CHECK(opt.StepCount() == 0);
  AdamOptions bad;
  bad.beta2 = 1.0f;
  CHECK_THROWS_AS(Adam(store, bad), Error);
}

TEST_CASE("Adam: hand-computed first step") {
  // Step 1: m = (1-b1) g, v = (1-b2) g^2, bias-corrected m/sqrt(v) = sign(g):
  // p -= lr * g / (|g| + eps') with eps' = eps (after correction).
  ParamStore store;
  store.Add("w", {1, 2});
  store[0].value << 1.0f, -2.0f;
  Grads g(store);
  g.g[0] << 0.5f, -4.0f;
  AdamOptions o;
  o.lr = 0.1f;
  o.eps = 0.0f;
  Adam opt(store, o);
  opt.Step(store, g);
  CHECK(store[0].value(0, 0) == doctest::Approx(0.9f).epsilon(1e-6));
  CHECK(store[0].value(0, 1) == doctest::Approx(-1.9f).epsilon(1e-6));
  // AdamW decay: p *= 1 - lr * wd before the same update.
  store[0].value << 1.0f, -2.0f;
  Adam w(store, AdamOptions::AdamW(0.1f, 0.5f));
  AdamOptions wo = w.options();
  CHECK(wo.decoupled_weight_decay);
  w.Step(store, g);
  CHECK(store[0].value(0, 0) == doctest::Approx(0.95f - 0.1f).epsilon(1e-5));
}

TEST_CASE("ClipGradNorm matches torch.nn.utils.clip_grad_norm_") {
  AURIS_SKIP_IF(!test::HaveLossRefs(), "make_nn_losses.py output not found in " << test::RefDir());
  for (const int max_norm : {1, 100}) {
    CAPTURE(max_norm);
    const std::string prefix = "clip_" + std::to_string(max_norm);
    ParamStore store;
    std::vector<std::vector<std::int64_t>> shapes = {{3, 4}, {5}, {2, 2}};
    for (std::size_t i = 0; i < shapes.size(); ++i) store.Add("p" + std::to_string(i), shapes[i]);
    Grads g(store);
    for (int i = 0; i < store.Size(); ++i)
      g.g[i] = LoadLossRef(prefix + "_grad_" + std::to_string(i)).cast<float>().reshaped<Eigen::RowMajor>(
          g.g[i].rows(), g.g[i].cols());
    const double norm = ClipGradNorm(g, max_norm);
    CHECK(RelError(norm, LoadLossRef(prefix + "_norm")(0)) <= test::tol::kForwardRel);
    for (int i = 0; i < store.Size(); ++i)
      CHECK(RelError(g.g[i], LoadLossRef(prefix + "_clipped_" + std::to_string(i))) <= test::tol::kForwardRel);
  }
}

TEST_CASE("ClipGradNorm: hand-computed") {
  ParamStore store;
  store.Add("a", {2});
  Grads g(store);
  g.g[0] << 3.0f, 4.0f;
  CHECK(ClipGradNorm(g, 1.0) == doctest::Approx(5.0));
  CHECK(g.g[0](0, 0) == doctest::Approx(3.0 / (5.0 + 1e-6)));
  CHECK(g.g[0](0, 1) == doctest::Approx(4.0 / (5.0 + 1e-6)));
  g.g[0] << 3.0f, 4.0f;
  CHECK(ClipGradNorm(g, 10.0) == doctest::Approx(5.0));
  CHECK(g.g[0](0, 1) == 4.0f);
  CHECK_THROWS_AS(ClipGradNorm(g, 0.0), Error);
}

TEST_CASE("LR schedules match torch.optim.lr_scheduler") {
  const std::string path = test::RefFile("nnl_lr_schedules.json");
  AURIS_SKIP_IF(path.empty(), "nnl_lr_schedules.json not found in " << test::RefDir());
  std::ifstream in(path);
  const auto ref = nlohmann::json::parse(in);
  LrSchedule s;
  s.base_lr = ref["base_lr"].get<float>();
  s.warmup_steps = ref["warmup_steps"].get<int>();
  s.total_steps = s.warmup_steps + ref["decay_steps"].get<int>();
  s.min_lr = ref["min_lr"].get<float>();
  s.gamma = ref["gamma"].get<float>();
  const auto& warm = ref["warmup"];
  for (const std::string decay : {"cosine", "linear", "exponential"}) {
    CAPTURE(decay);
    s.decay = LrSchedule::ParseDecay(decay);
    s.Validate();
    for (int i = 0; i < s.warmup_steps; ++i)
      CHECK(RelError(s.LrAt(i), warm[i].get<double>()) <= test::tol::kForwardRel);
    const auto& after = ref[decay];
    for (std::size_t i = 0; i < after.size(); ++i) {
      CAPTURE(i);
      CHECK(RelError(s.LrAt(s.warmup_steps + static_cast<long>(i)), after[i].get<double>()) <= test::tol::kForwardRel);
    }
  }
}

TEST_CASE("LR schedule: hand-computed values, clamping and validation") {
  LrSchedule s;
  s.base_lr = 1.0f;
  s.warmup_steps = 4;
  CHECK(s.LrAt(0) == doctest::Approx(0.25));
  CHECK(s.LrAt(3) == doctest::Approx(1.0));
  CHECK(s.LrAt(100) == doctest::Approx(1.0));
  s.decay = LrSchedule::Decay::kCosine;
  s.total_steps = 14;
  s.min_lr = 0.0f;
  CHECK(s.LrAt(9) == doctest::Approx(0.5));   // half-way: cos(pi/2) = 0
  CHECK(s.LrAt(14) == doctest::Approx(0.0));
  CHECK(s.LrAt(50) == doctest::Approx(0.0));  // stays at min_lr
  s.decay = LrSchedule::Decay::kLinear;
  CHECK(s.LrAt(6) == doctest::Approx(0.8));
  s.decay = LrSchedule::Decay::kExponential;
  s.gamma = 0.5f;
  CHECK(s.LrAt(6) == doctest::Approx(0.25));
  CHECK_THROWS_AS(LrSchedule::ParseDecay("step"), Error);
  s.decay = LrSchedule::Decay::kCosine;
  s.total_steps = 3;  // not after the warm-up
  CHECK_THROWS_AS(s.Validate(), Error);
}

}  // namespace
}  // namespace auris::nn
