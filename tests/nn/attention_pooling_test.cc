// AttentionPooling: torch parity (output, weights, gradients), finite
// differences, and the online (streaming) form == Forward over every prefix.
#include "auris/nn/attention_pooling.h"

#include <doctest/doctest.h>

#include <vector>

#include "alloc_counter.h"
#include "attention_test_util.h"
#include "auris/core/error.h"
#include "gradcheck.h"
#include "tolerances.h"

namespace auris::nn {
namespace {

using test::MaxRelError;

// Online softmax vs the batch softmax: float32, different operation order.
constexpr double kOnlineVsBatchRel = 1e-5;

TEST_CASE("attention pooling: output, weights and gradients match torch ops") {
  AURIS_REQUIRE_REF(ref, "nn_attention_pool_x.npy");
  const Matrix query = test::LoadAttentionRef("pool_query").ToMatrix();
  AttentionPoolingOptions opts;
  opts.num_queries = static_cast<int>(query.rows());
  opts.embed_dim = static_cast<int>(query.cols());
  ParamStore store;
  Rng rng(1);
  const AttentionPooling pool(store, "", opts, rng);
  REQUIRE(store[0].name == "query");
  store[0].value = query;

  const SeqBatch x = test::LoadAttentionBatch("pool_x", "pool_lengths");
  RunContext ctx;
  std::unique_ptr<LayerCache> cache;
  const SeqBatch y = pool.Forward(x, store, ctx, &cache);
  CHECK(y.steps == 1);
  CHECK(y.batch == x.batch);
  CHECK(y.lengths == std::vector<int>(x.batch, 1));
  CHECK(MaxRelError(y.data, test::LoadAttentionRef("pool_y").ToMatrixD()) <= test::tol::kForwardRel);

  const MatrixD w_ref = test::LoadAttentionRef("pool_w").ToMatrixD();  // (T·B) x Q
  const std::vector<Matrix> w = pool.AttentionWeights(*cache);
  REQUIRE(static_cast<int>(w.size()) == x.batch);
  for (int b = 0; b < x.batch; ++b) {
    MatrixD ref(x.lengths[b], opts.num_queries);
    for (int t = 0; t < x.lengths[b]; ++t) ref.row(t) = w_ref.row(static_cast<Eigen::Index>(t) * x.batch + b);
    CHECK_MESSAGE(MaxRelError(w[b], ref) <= test::tol::kForwardRel, "sequence " << b);
  }

  SeqBatch gy = y;
  gy.data = test::LoadAttentionRef("pool_gy").ToMatrix();
  Grads grads(store);
  const SeqBatch dx = pool.Backward(gy, store, *cache, grads);
  CHECK(MaxRelError(dx.data, test::LoadAttentionRef("pool_dx").ToMatrixD()) <= test::tol::kGradientRel);
  CHECK(MaxRelError(grads.g[0], test::LoadAttentionRef("pool_dquery").ToMatrixD()) <= test::tol::kGradientRel);
}

TEST_CASE("attention pooling: finite-difference gradients") {
  for (const int num_queries : {1, 3}) {
    CAPTURE(num_queries);
    AttentionPoolingOptions opts;
    opts.embed_dim = 6;
    opts.num_queries = num_queries;
    ParamStore store;
    Rng rng(7);
    const AttentionPooling pool(store, "head.pool", opts, rng);
    CHECK(store[0].name == "head.pool.query");
    test::FillGaussian(store[0].value, rng);
    const SeqBatch x = test::RandomSeqBatch({5, 0, 3, 1}, opts.embed_dim, rng);
    const test::GradCheckReport report = test::CheckLayerGradients(pool, store, x);
    CHECK_MESSAGE(report.Ok(), report.ToString());
  }
}

TEST_CASE("attention pooling: an empty sequence pools to a zero row of length 0") {
  AttentionPoolingOptions opts;
  opts.embed_dim = 4;
  opts.num_queries = 2;
  ParamStore store;
  Rng rng(3);
  const AttentionPooling pool(store, "", opts, rng);
  const SeqBatch x = test::RandomSeqBatch({3, 0}, 4, rng);
  RunContext ctx;
  std::unique_ptr<LayerCache> cache;
  const SeqBatch y = pool.Forward(x, store, ctx, &cache);
  CHECK(y.Dim() == 8);
  CHECK(y.lengths == std::vector<int>{1, 0});
  CHECK(y.data.row(1).isZero(0));
  CHECK(y.data.allFinite());
  CHECK(pool.AttentionWeights(*cache)[1].size() == 0);
}

// Step t must equal Forward over frames 0..t, for every t.
TEST_CASE("attention pooling: online Step/Current equals Forward over every prefix") {
  AttentionPoolingOptions opts;
  opts.embed_dim = 8;
  opts.num_queries = 3;
  ParamStore store;
  Rng rng(21);
  const AttentionPooling pool(store, "", opts, rng);
  test::FillGaussian(store[0].value, rng);
  // Large frames make scores spread widely, so the running max moves often
  // and old sums must be rescaled correctly.
  const SeqBatch whole = test::RandomSeqBatch({60}, opts.embed_dim, rng, 4.0);
  const Matrix seq = whole.ToSequences()[0];

  auto state = pool.NewStepState(store);
  std::vector<float> out(pool.OutputDim()), current(pool.OutputDim());
  pool.Current(*state, current.data());
  CHECK(Eigen::Map<const RowVector>(current.data(), current.size()).isZero(0));
  RunContext ctx;
  for (int t = 0; t < seq.rows(); ++t) {
    pool.Step(seq.row(t).data(), store, *state, out.data());
    const SeqBatch prefix = SeqBatch::FromSequences({seq.topRows(t + 1)});
    const Matrix expect = pool.Forward(prefix, store, ctx, nullptr).data;
    const Eigen::Map<const Matrix> got(out.data(), 1, pool.OutputDim());
    CHECK_MESSAGE(MaxRelError(got, expect) <= kOnlineVsBatchRel, "prefix " << t + 1);
    pool.Current(*state, current.data());
    CHECK(current == out);
  }
  state->Reset();
  pool.Current(*state, current.data());
  CHECK(Eigen::Map<const RowVector>(current.data(), current.size()).isZero(0));
  pool.Step(seq.row(5).data(), store, *state, out.data());
  for (int j = 0; j < opts.num_queries; ++j)  // one frame: the pooled vector is that frame
    CHECK(MaxRelError(Eigen::Map<const Matrix>(out.data() + j * 8, 1, 8), seq.row(5)) <= kOnlineVsBatchRel);
}

TEST_CASE("attention pooling: Step does not allocate") {
  AURIS_SKIP_IF(!test::AllocCounterActive(), "allocation counting is off under the sanitizers");
  AttentionPoolingOptions opts;  // reference model: E = 128, one query
  ParamStore store;
  Rng rng(2);
  const AttentionPooling pool(store, "", opts, rng);
  Matrix frames(200, opts.embed_dim);
  test::FillGaussian(frames, rng);
  auto state = pool.NewStepState(store);
  std::vector<float> out(pool.OutputDim());
  const long long before = test::AllocationCount();
  for (int t = 0; t < frames.rows(); ++t) pool.Step(frames.row(t).data(), store, *state, out.data());
  CHECK(test::AllocationCount() == before);
}

TEST_CASE("attention pooling: options are validated") {
  AttentionPoolingOptions opts;
  CHECK(opts.ToString() == "embed_dim=128 num_queries=1");
  opts.num_queries = 0;
  CHECK_THROWS_WITH_AS(opts.Validate(), doctest::Contains("num_queries"), auris::Error);
  ParamStore store;
  Rng rng(1);
  CHECK_THROWS_AS(AttentionPooling(store, "", opts, rng), auris::Error);
}

}  // namespace
}  // namespace auris::nn
