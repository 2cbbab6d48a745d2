// CTC loss: torch F.ctc_loss parity (mean/sum, zero_infinity, repeated labels,
// empty target, impossible alignment, long peaky sequences), finite
// differences of the loss on the logits, hand-computed probabilities.
#include <doctest/doctest.h>

#include <cmath>
#include <thread>

#include "auris/core/error.h"
#include "auris/core/rng.h"
#include "auris/nn/ctc_loss.h"
#include "gradcheck.h"
#include "loss_refs.h"
#include "tolerances.h"

namespace auris::nn {
namespace {

using test::LoadLossRef;
using test::LoadLossRefInts;
using test::RelError;

struct CtcCase {
  SeqBatch logits;
  std::vector<std::vector<int>> targets;
};

CtcCase LoadCase(const std::string& name) {
  CtcCase c;
  c.logits.lengths = LoadLossRefInts("ctc_" + name + "_lengths");
  c.logits.batch = static_cast<int>(c.logits.lengths.size());
  c.logits.data = LoadLossRef("ctc_" + name + "_logits").cast<float>();
  c.logits.steps = static_cast<int>(c.logits.data.rows()) / c.logits.batch;
  const auto flat = LoadLossRefInts("ctc_" + name + "_targets");
  std::size_t pos = 0;
  for (int n : LoadLossRefInts("ctc_" + name + "_target_lengths")) {
    c.targets.emplace_back(flat.begin() + pos, flat.begin() + pos + n);
    pos += n;
  }
  return c;
}

// Rows of sequences whose loss is finite (torch's gradient is NaN elsewhere).
Matrix FiniteRows(const Matrix& m, const SeqBatch& like, const std::vector<double>& losses) {
  Matrix out = m;
  for (int t = 0; t < like.steps; ++t)
    for (int b = 0; b < like.batch; ++b)
      if (!std::isfinite(losses[b])) out.row(static_cast<Eigen::Index>(t) * like.batch + b).setZero();
  return out;
}

TEST_CASE("CTC matches torch F.ctc_loss (mean/sum, zero_infinity)") {
  AURIS_SKIP_IF(!test::HaveLossRefs(), "make_nn_losses.py output not found in " << test::RefDir());
  for (const std::string name : {"mixed", "big"}) {
    const CtcCase c = LoadCase(name);
    const MatrixD ref_losses = LoadLossRef("ctc_" + name + "_none_losses");
    for (const std::string red : {"mean", "sum"})
      for (const bool zero_inf : {false, true}) {
        CAPTURE(name);
        CAPTURE(red);
        CAPTURE(zero_inf);
        CtcOptions opts;
        opts.reduction = red == "mean" ? CtcOptions::Reduction::kMean : CtcOptions::Reduction::kSum;
        opts.zero_infinity = zero_inf;
        const CtcResult r = CtcLoss(c.logits, c.targets, opts);
        const std::string prefix = "ctc_" + name + "_" + red + "_z" + (zero_inf ? "1" : "0");
        const double ref = LoadLossRef(prefix + "_loss")(0);
        if (std::isinf(ref)) {
          CHECK(std::isinf(r.loss));
          CHECK(r.loss > 0);
        } else {
          CHECK(RelError(r.loss, ref) <= test::tol::kForwardRel);
        }
        for (int b = 0; b < c.logits.batch; ++b) {
          CAPTURE(b);
          if (std::isinf(ref_losses(b)))
            CHECK(std::isinf(r.sequence_losses[b]));
          else
            CHECK(RelError(r.sequence_losses[b], ref_losses(b)) <= test::tol::kForwardRel);
        }
        CHECK(r.grad.data.allFinite());
        const MatrixD ref_grad = LoadLossRef(prefix + "_grad");
        const Matrix ours = FiniteRows(r.grad.data, c.logits, r.sequence_losses);
        CHECK(ours == r.grad.data);  // zero gradient for impossible sequences
        const MatrixD theirs = FiniteRows(ref_grad.cast<float>(), c.logits, r.sequence_losses).cast<double>();
        CHECK(RelError(ours, theirs) <= test::tol::kGradientRel);
      }
  }
}

TEST_CASE("CTC: the impossible case is the expected one") {
  AURIS_SKIP_IF(!test::HaveLossRefs(), "make_nn_losses.py output not found in " << test::RefDir());
  // "mixed" b3: target 2 2 3 needs 4 frames (blank between the repeats), has 3;
  // b5: target 1 1 in exactly 3 frames is possible.
  const CtcCase c = LoadCase("mixed");
  const CtcResult r = CtcLoss(c.logits, c.targets);
  CHECK(std::isinf(r.sequence_losses[3]));
  CHECK(std::isfinite(r.sequence_losses[5]));
  CHECK(std::isinf(r.loss));
}

// Probability of a target by brute force over every path of length T.
double BruteForceProbability(const Matrix& probs, const std::vector<int>& target) {
  const int frames = static_cast<int>(probs.rows()), classes = static_cast<int>(probs.cols());
  double total = 0;
  std::vector<int> path(frames, 0);
  for (long code = 0; code < std::lround(std::pow(classes, frames)); ++code) {
    long rest = code;
    for (int t = 0; t < frames; ++t, rest /= classes) path[t] = static_cast<int>(rest % classes);
    std::vector<int> collapsed;
    for (int t = 0; t < frames; ++t)
      if (path[t] != kCtcBlank && (t == 0 || path[t] != path[t - 1])) collapsed.push_back(path[t]);
    if (collapsed != target) continue;
    double p = 1;
    for (int t = 0; t < frames; ++t) p *= probs(t, path[t]);
    total += p;
  }
  return total;
}

TEST_CASE("CTC loss equals brute-force path enumeration") {
  Rng rng(11);
  const std::vector<std::vector<int>> targets = {{1}, {1, 1}, {2, 1}, {1, 2, 2}, {}, {2, 2, 2}};
  for (const auto& target : targets) {
    CAPTURE(target.size());
    const SeqBatch x = test::RandomSeqBatch({5}, 3, rng, 1.5);
    Matrix probs = x.data;
    for (Eigen::Index t = 0; t < probs.rows(); ++t) {
      probs.row(t) = probs.row(t).array().exp();
      probs.row(t) /= probs.row(t).sum();
    }
    CtcOptions sum;
    sum.reduction = CtcOptions::Reduction::kSum;
    const double p = BruteForceProbability(probs, target);
    const CtcResult r = CtcLoss(x, {target}, sum);
    REQUIRE(p > 0);  // {2, 2, 2} needs all 5 frames: 2 _ 2 _ 2
    CHECK(r.loss == doctest::Approx(-std::log(p)).epsilon(1e-5));
  }
}

TEST_CASE("CTC: zero-length input, too-long target, errors") {
  SeqBatch x = SeqBatch::FromSequences({Matrix::Zero(2, 3), Matrix::Zero(0, 3)});
  CtcOptions sum;
  sum.reduction = CtcOptions::Reduction::kSum;
  auto r = CtcLoss(x, {{1, 2, 1}, {}}, sum);
  CHECK(std::isinf(r.sequence_losses[0]));
  CHECK(r.sequence_losses[1] == 0.0);
  CHECK(r.grad.data.allFinite());
  sum.zero_infinity = true;
  r = CtcLoss(x, {{1, 2, 1}, {}}, sum);
  CHECK(r.loss == 0.0);
  CHECK(r.grad.data.isZero());
  CHECK_THROWS_AS(CtcLoss(x, {{1}}), Error);             // one target per sequence
  CHECK_THROWS_AS(CtcLoss(x, {{0}, {}}), Error);         // blank inside a target
  CHECK_THROWS_AS(CtcLoss(x, {{3}, {}}), Error);         // label >= classes
}

TEST_CASE("CTC: mean_over lets batch parts (on two threads) add up to the whole batch") {
  Rng rng(5);
  const std::vector<Matrix> seqs = {test::RandomSeqBatch({6}, 4, rng).data, test::RandomSeqBatch({4}, 4, rng).data};
  const std::vector<std::vector<int>> targets = {{1, 2}, {3}};
  const CtcResult whole = CtcLoss(SeqBatch::FromSequences(seqs), targets);
  CtcOptions part;
  part.mean_over = 2;
  CtcResult a, b;
  std::thread other([&] { a = CtcLoss(SeqBatch::FromSequences({seqs[0]}), {targets[0]}, part); });
  b = CtcLoss(SeqBatch::FromSequences({seqs[1]}), {targets[1]}, part);
  other.join();
  CHECK(a.loss + b.loss == doctest::Approx(whole.loss).epsilon(1e-9));
  CHECK(a.grad.Frame(0, 0).isApprox(whole.grad.Frame(0, 0)));
  CHECK(b.grad.Frame(3, 0).isApprox(whole.grad.Frame(3, 1)));
}

TEST_CASE("CTC gradient matches finite differences of the loss") {
  Rng rng(7);
  // Repeats, a tight fit (3 labels + 1 repeat blank in 4 frames), padding.
  const SeqBatch x = test::RandomSeqBatch({9, 4, 7, 6}, 5, rng, 1.5);
  const std::vector<std::vector<int>> targets = {{1, 2, 2, 4}, {3, 3, 1}, {4, 4, 4}, {}};
  for (const auto reduction : {CtcOptions::Reduction::kMean, CtcOptions::Reduction::kSum}) {
    CtcOptions opts;
    opts.reduction = reduction;
    SeqBatch probe = x;
    const CtcResult analytic = CtcLoss(probe, targets, opts);
    REQUIRE(std::isfinite(analytic.loss));
    const auto idx = test::SampleEntries(probe.data.size(), 1000, rng);  // every entry
    const auto numeric =
        test::NumericGradient([&] { return CtcLoss(probe, targets, opts).loss; }, probe.data.data(), idx, 1e-2);
    const auto check = test::CompareGradients("logits", analytic.grad.data.data(), idx, numeric, 1e-6);
    CHECK_MESSAGE(check.rel_error <= 1e-3, check.rel_error);
  }
}

TEST_CASE("CTC is stable for long peaky sequences") {
  Rng rng(9);
  const SeqBatch x = test::RandomSeqBatch({400}, 30, rng, 30.0);
  std::vector<int> target;
  for (int i = 0; i < 150; ++i) target.push_back(1 + static_cast<int>(rng.Index(29)));
  const CtcResult r = CtcLoss(x, {target});
  CHECK(std::isfinite(r.loss));
  CHECK(r.grad.data.allFinite());
  // Each frame's gradient row sums to zero (softmax and occupancy both sum to 1).
  for (int t = 0; t < 400; ++t) CHECK(std::abs(r.grad.Frame(t, 0).sum()) < 1e-6);
}

}  // namespace
}  // namespace auris::nn
