// MultiHeadAttention streaming: Step() over a sequence == Forward() over the
// whole padded batch, for windowed / unlimited / ALiBi attention and random
// lengths; bounded ring buffer; no allocation per step; Reset.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "alloc_counter.h"
#include "attention_test_util.h"
#include "auris/core/error.h"
#include "auris/nn/attention.h"
#include "gradcheck.h"

namespace auris::nn {
namespace {

using test::MaxRelError;

// Both forms compute in float32 with different summation orders (GEMM over a
// query block vs one GEMV per frame); this bounds the rounding difference.
constexpr double kStepVsBatchRel = 2e-5;

struct Fixture {
  AttentionOptions opts;
  ParamStore store;
  Rng rng{5};
  std::unique_ptr<MultiHeadAttention> mha;

  explicit Fixture(const AttentionOptions& o) : opts(o) {
    mha = std::make_unique<MultiHeadAttention>(store, "attn", opts, rng);
    for (int i = 0; i < store.Size(); ++i) test::FillGaussian(store[i].value, rng);
    for (int i = 0; i < store.Size(); ++i) store[i].value *= 0.3f;
  }

  // Frame-by-frame outputs of one sequence (rows = frames).
  Matrix RunSteps(const Matrix& seq, StepState& state) const {
    Matrix out(seq.rows(), opts.embed_dim);
    for (Eigen::Index t = 0; t < seq.rows(); ++t) mha->Step(seq.row(t).data(), store, state, out.row(t).data());
    return out;
  }
};

AttentionOptions Opts(int window, const std::string& positional, int embed = 16, int heads = 4) {
  AttentionOptions o;
  o.embed_dim = embed;
  o.num_heads = heads;
  o.causal = true;
  o.window_frames = window;
  o.positional = positional;
  return o;
}

void CheckStepEqualsForward(const AttentionOptions& opts, std::uint64_t seed) {
  CAPTURE(opts.ToString());
  Fixture f(opts);
  Rng rng(seed);
  std::vector<int> lengths;
  for (int b = 0; b < 4; ++b) lengths.push_back(1 + static_cast<int>(rng.Index(150)));
  lengths.push_back(0);  // an empty sequence in the batch changes nothing
  CAPTURE(lengths);
  const SeqBatch x = test::RandomSeqBatch(lengths, opts.embed_dim, rng);
  RunContext ctx;
  const std::vector<Matrix> batch_out = f.mha->Forward(x, f.store, ctx, nullptr).ToSequences();
  const std::vector<Matrix> seqs = x.ToSequences();
  auto state = f.mha->NewStepState(f.store);
  for (std::size_t b = 0; b < seqs.size(); ++b) {
    state->Reset();  // one state reused across streams
    const Matrix steps = f.RunSteps(seqs[b], *state);
    CHECK_MESSAGE(MaxRelError(steps, batch_out[b]) <= kStepVsBatchRel, "sequence " << b);
  }
}

TEST_CASE("attention step: Step over a sequence equals Forward over the batch") {
  for (std::uint64_t seed : {1, 2, 3}) {
    CheckStepEqualsForward(Opts(7, "none"), seed);     // ring wraps many times
    CheckStepEqualsForward(Opts(0, "none"), seed);     // unlimited: buffer grows past 64
    CheckStepEqualsForward(Opts(5, "alibi"), seed);    // ALiBi ages across the ring wrap
    CheckStepEqualsForward(Opts(0, "alibi"), seed);
    CheckStepEqualsForward(Opts(1, "none", 8, 1), seed);  // window of one: attends to itself
  }
  CheckStepEqualsForward(Opts(100, "none", 128, 4), 9);  // the reference model's layer
}

TEST_CASE("attention step: windowed state stays W frames over a long stream") {
  const int window = 10;
  Fixture f(Opts(window, "alibi"));
  Rng rng(4);
  const SeqBatch x = test::RandomSeqBatch({1000}, 16, rng);
  auto state = f.mha->NewStepState(f.store);
  auto& s = dynamic_cast<AttentionState&>(*state);
  REQUIRE(s.Capacity() == window);
  const Matrix steps = f.RunSteps(x.ToSequences()[0], *state);
  CHECK(s.Capacity() == window);
  CHECK(s.keys.cols() == window);
  CHECK(s.values.rows() == window);
  CHECK(s.frames == 1000);
  RunContext ctx;
  const Matrix batch = f.mha->Forward(x, f.store, ctx, nullptr).data;
  CHECK(MaxRelError(steps, batch) <= kStepVsBatchRel);
}

TEST_CASE("attention step: no heap allocation per frame with a window") {
  AURIS_SKIP_IF(!test::AllocCounterActive(), "allocation counting is off under AddressSanitizer");
  Fixture f(Opts(100, "none", 128, 4));
  auto state = f.mha->NewStepState(f.store);
  Rng rng(2);
  Matrix frames(300, 128);
  test::FillGaussian(frames, rng);
  Matrix out(300, 128);
  const long long before = test::AllocationCount();
  for (int t = 0; t < 300; ++t) f.mha->Step(frames.row(t).data(), f.store, *state, out.row(t).data());
  CHECK(test::AllocationCount() == before);
  CHECK(out.allFinite());
  // The counter does see Eigen allocations (so the check above means something).
  const long long mid = test::AllocationCount();
  const Matrix tmp = frames * frames.transpose();
  CHECK(test::AllocationCount() > mid);
  CHECK(tmp.rows() == 300);
}

TEST_CASE("attention step: Reset starts a fresh stream") {
  Fixture f(Opts(4, "none"));
  Rng rng(8);
  const SeqBatch x = test::RandomSeqBatch({9}, 16, rng);
  const Matrix seq = x.ToSequences()[0];
  auto state = f.mha->NewStepState(f.store);
  const Matrix first = f.RunSteps(seq, *state);
  state->Reset();
  const Matrix second = f.RunSteps(seq, *state);
  CHECK(first == second);  // same arithmetic on the same data: bit-identical
}

TEST_CASE("attention step: non-causal attention cannot stream") {
  AttentionOptions o = Opts(0, "none");
  o.causal = false;
  Fixture f(o);
  CHECK_FALSE(f.mha->IsCausal());
  CHECK_THROWS_WITH_AS(f.mha->NewStepState(f.store), doctest::Contains("causal"), auris::Error);
}

TEST_CASE("attention: short and empty sequences give finite outputs, zeros at padding") {
  // Length 1 with a window: every query has exactly one key; the empty
  // sequence and the padding rows have none and must be exact zeros, not NaN.
  for (const bool causal : {true, false}) {
    AttentionOptions o = Opts(3, "alibi");
    o.causal = causal;
    Fixture f(o);
    Rng rng(6);
    const SeqBatch x = test::RandomSeqBatch({5, 1, 0}, 16, rng);
    RunContext ctx;
    std::unique_ptr<LayerCache> cache;
    const SeqBatch y = f.mha->Forward(x, f.store, ctx, &cache);
    CHECK(y.data.allFinite());
    for (int t = 1; t < 5; ++t) CHECK(y.Frame(t, 1).isZero(0));
    for (int t = 0; t < 5; ++t) CHECK(y.Frame(t, 2).isZero(0));
    CHECK(f.mha->AttentionWeights(*cache, 1, 0).isOnes());  // 1 x 1: itself, weight 1
    CHECK(f.mha->AttentionWeights(*cache, 2, 0).size() == 0);
    Grads grads(f.store);
    SeqBatch gy = y;
    test::FillGaussian(gy.data, rng);
    const SeqBatch dx = f.mha->Backward(gy, f.store, *cache, grads);
    CHECK(dx.data.allFinite());
    for (const auto& g : grads.g) CHECK(g.allFinite());
  }
}

}  // namespace
}  // namespace auris::nn
