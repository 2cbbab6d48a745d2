// Cross-entropy: PyTorch parity (F.cross_entropy with and without label
// smoothing, per-frame with ignore_index padding), finite differences, and
// hand-computed values.
#include <doctest/doctest.h>

#include <cmath>

#include "auris/core/error.h"
#include "auris/core/rng.h"
#include "auris/nn/cross_entropy.h"
#include "gradcheck.h"
#include "loss_refs.h"
#include "tolerances.h"

namespace auris::nn {
namespace {

using test::LoadLossRef;
using test::LoadLossRefInts;
using test::RelError;

TEST_CASE("cross-entropy matches torch F.cross_entropy (plain and label smoothing)") {
  AURIS_SKIP_IF(!test::HaveLossRefs(), "make_nn_losses.py output not found in " << test::RefDir());
  for (const std::string name : {"plain", "smooth"}) {
    CAPTURE(name);
    const Matrix logits = LoadLossRef("ce_" + name + "_logits").cast<float>();
    CrossEntropyOptions opts;
    opts.label_smoothing = name == "smooth" ? 0.1f : 0.0f;
    const auto r = CrossEntropy(logits, LoadLossRefInts("ce_" + name + "_targets"), opts);
    CHECK(RelError(r.loss, LoadLossRef("ce_" + name + "_loss")(0)) <= test::tol::kForwardRel);
    CHECK(RelError(r.grad, LoadLossRef("ce_" + name + "_grad")) <= test::tol::kGradientRel);
  }
}

TEST_CASE("per-frame cross-entropy matches torch with ignore_index on padding") {
  AURIS_SKIP_IF(!test::HaveLossRefs(), "make_nn_losses.py output not found in " << test::RefDir());
  const std::vector<int> lengths = LoadLossRefInts("ce_frames_lengths");
  const std::vector<int> flat = LoadLossRefInts("ce_frames_targets");
  SeqBatch logits;
  logits.batch = static_cast<int>(lengths.size());
  logits.lengths = lengths;
  logits.data = LoadLossRef("ce_frames_logits").cast<float>();
  logits.steps = static_cast<int>(logits.data.rows()) / logits.batch;
  std::vector<std::vector<int>> targets(logits.batch);
  for (int b = 0; b < logits.batch; ++b)
    for (int t = 0; t < lengths[b]; ++t) targets[b].push_back(flat[t * logits.batch + b]);
  CrossEntropyOptions opts;
  opts.label_smoothing = 0.2f;
  const auto r = FrameCrossEntropy(logits, targets, opts);
  CHECK(RelError(r.loss, LoadLossRef("ce_frames_loss")(0)) <= test::tol::kForwardRel);
  CHECK(RelError(r.grad.data, LoadLossRef("ce_frames_grad")) <= test::tol::kGradientRel);
}

TEST_CASE("cross-entropy: hand-computed value, stability and pooled SeqBatch form") {
  // Two classes, logits (0, ln 3): p = (1/4, 3/4); target 0 -> loss ln 4.
  Matrix logits(1, 2);
  logits << 0.0f, std::log(3.0f);
  auto r = CrossEntropy(logits, {0});
  CHECK(r.loss == doctest::Approx(std::log(4.0)).epsilon(1e-6));
  CHECK(r.grad(0, 0) == doctest::Approx(0.25 - 1.0).epsilon(1e-6));
  CHECK(r.grad(0, 1) == doctest::Approx(0.75).epsilon(1e-6));
  // Label smoothing 0.5 with 2 classes: target distribution (0.75, 0.25).
  CrossEntropyOptions smooth;
  smooth.label_smoothing = 0.5f;
  r = CrossEntropy(logits, {0}, smooth);
  CHECK(r.loss == doctest::Approx(-0.75 * std::log(0.25) - 0.25 * std::log(0.75)).epsilon(1e-6));
  // Huge logits stay finite (log-softmax, not log(softmax)).
  Matrix big(1, 3);
  big << 1000.0f, -1000.0f, 0.0f;
  r = CrossEntropy(big, {1});
  CHECK(r.loss == doctest::Approx(2000.0).epsilon(1e-6));
  CHECK(std::isfinite(r.grad.sum()));
  // Pooled SeqBatch: same as the matrix form.
  SeqBatch pooled;
  pooled.steps = 1;
  pooled.batch = 1;
  pooled.lengths = {1};
  pooled.data = logits;
  CHECK(CrossEntropy(pooled, {0}).loss == doctest::Approx(std::log(4.0)).epsilon(1e-6));
  // mean_over: two halves with mean_over = 2 add up to the whole.
  Matrix two(2, 2);
  two << 0.3f, -0.2f, 1.5f, 0.1f;
  CrossEntropyOptions half;
  half.mean_over = 2;
  const double whole = CrossEntropy(two, {0, 1}).loss;
  const double parts = CrossEntropy(Matrix(two.row(0)), {0}, half).loss + CrossEntropy(Matrix(two.row(1)), {1}, half).loss;
  CHECK(parts == doctest::Approx(whole).epsilon(1e-9));
}

TEST_CASE("cross-entropy: errors") {
  Matrix logits = Matrix::Zero(2, 3);
  CHECK_THROWS_AS(CrossEntropy(logits, {0}), Error);
  CHECK_THROWS_AS(CrossEntropy(logits, {0, 3}), Error);
  CHECK_THROWS_AS(CrossEntropy(logits, {0, -1}), Error);
  CrossEntropyOptions bad;
  bad.label_smoothing = 1.5f;
  CHECK_THROWS_AS(CrossEntropy(logits, {0, 1}, bad), Error);
}

TEST_CASE("cross-entropy gradient matches finite differences") {
  Rng rng(3);
  for (const float smoothing : {0.0f, 0.3f}) {
    CAPTURE(smoothing);
    const SeqBatch x = test::RandomSeqBatch({4, 1, 3}, 6, rng, 2.0);
    std::vector<std::vector<int>> targets = {{0, 5, 2, 2}, {4}, {1, 3, 0}};
    CrossEntropyOptions opts;
    opts.label_smoothing = smoothing;
    SeqBatch probe = x;
    const auto analytic = FrameCrossEntropy(probe, targets, opts);
    const auto idx = test::SampleEntries(probe.data.size(), 1000, rng);
    const auto numeric = test::NumericGradient([&] { return FrameCrossEntropy(probe, targets, opts).loss; },
                                               probe.data.data(), idx, 1e-2);
    const auto check = test::CompareGradients("logits", analytic.grad.data.data(), idx, numeric, 1e-6);
    CHECK_MESSAGE(check.rel_error <= 1e-3, check.rel_error);
  }
}

}  // namespace
}  // namespace auris::nn
