// Deltas (Kaldi add-deltas) against hand-computed values, against the float64
// numpy implementation of Kaldi's formula in make_deltas_cmvn.py (itself
// cross-checked there with torchaudio.functional.compute_deltas), and
// online == batch for random chunkings.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "auris/core/error.h"
#include "auris/dsp/deltas.h"
#include "frame_stage_test_util.h"
#include "test_support.h"
#include "tolerances.h"

using namespace auris;
using namespace auris::dsp;

namespace {

const char* const kInputs[] = {"walk", "fsdd", "short7", "short3", "one"};
const DeltaOptions kCases[] = {{0, 2}, {1, 1}, {1, 2}, {2, 2}, {2, 1}, {3, 2}, {2, 4}};

std::string CaseName(const char* input, const DeltaOptions& o) {
  return std::string("deltas_") + input + "_o" + std::to_string(o.order) + "_w" +
         std::to_string(o.window_frames) + ".npy";
}

}  // namespace

TEST_CASE("DeltaScales are Kaldi's convolved filters") {
  const auto s = DeltaScales(DeltaOptions{});
  REQUIRE(s.size() == 3);
  CHECK(s[0] == std::vector<float>{1.0f});
  const std::vector<double> d1 = {-0.2, -0.1, 0.0, 0.1, 0.2};
  // [-2..2]/10 convolved with itself: sum over j+k=m of j*k / 100.
  const std::vector<double> d2 = {0.04, 0.04, 0.01, -0.04, -0.1, -0.04, 0.01, 0.04, 0.04};
  REQUIRE(s[1].size() == d1.size());
  REQUIRE(s[2].size() == d2.size());
  for (std::size_t i = 0; i < d1.size(); ++i) CHECK(s[1][i] == doctest::Approx(d1[i]).epsilon(1e-6));
  for (std::size_t i = 0; i < d2.size(); ++i) CHECK(s[2][i] == doctest::Approx(d2[i]).epsilon(1e-6));
  const auto w1 = DeltaScales(DeltaOptions{1, 1});
  CHECK(w1[1] == std::vector<float>{-0.5f, 0.0f, 0.5f});
}

TEST_CASE("AddDeltas on a hand-computed case replicates the edge frames") {
  Matrix x(4, 1);
  x << 1, 2, 4, 8;
  const Matrix y = AddDeltas(x, DeltaOptions{1, 1});
  REQUIRE(y.rows() == 4);
  REQUIRE(y.cols() == 2);
  // d[t] = (x[t+1] - x[t-1]) / 2 with x[-1] = x[0], x[4] = x[3].
  const float want[4] = {0.5f, 1.5f, 3.0f, 2.0f};
  for (int t = 0; t < 4; ++t) {
    CHECK(y(t, 0) == x(t, 0));
    CHECK(y(t, 1) == doctest::Approx(want[t]));
  }
  // Order 2, window 1 on one frame: every frame is the same, deltas are 0.
  Matrix one(1, 3);
  one << 1, -2, 3;
  const Matrix z = AddDeltas(one, DeltaOptions{2, 1});
  REQUIRE(z.cols() == 9);
  CHECK(z.leftCols(3) == one);
  CHECK(z.rightCols(6).isZero(0.0f));
}

TEST_CASE("AddDeltas matches the numpy implementation of Kaldi's formula") {
  test::ForEachReferenceInput(kInputs, [](const char* input, const Matrix& x) {
    for (const DeltaOptions& opts : kCases) {
      AURIS_REQUIRE_REF(ref, CaseName(input, opts));
      const double err = test::MaxScaledError(AddDeltas(x, opts), test::ReadMatrixD(ref));
      INFO(CaseName(input, opts) << " max scaled error " << err);
      CHECK(err <= test::tol::kDeltasCmvnScaled);
    }
  });
}

TEST_CASE("OnlineDeltas emits a frame once its right context has arrived") {
  const DeltaOptions opts;  // context 4
  const Matrix x = test::RandomWalk(12, 3, 7);
  OnlineDeltas online(opts, 3);
  CHECK(online.OutputDim() == 9);
  for (int t = 0; t < x.rows(); ++t) {
    online.AcceptFrame(x.row(t).data());
    CHECK(online.NumFramesReady() == std::max(0, t + 1 - opts.ContextFrames()));
    CHECK_FALSE(online.IsLastFrame(online.NumFramesReady() - 1));
  }
  online.InputFinished();
  CHECK(online.NumFramesReady() == x.rows());
  CHECK(online.IsLastFrame(x.rows() - 1));
  CHECK(test::BitwiseEqual(online.GetFrames(0, x.rows()), AddDeltas(x, opts)));
}

TEST_CASE("OnlineDeltas equals AddDeltas bit for bit for random chunkings") {
  std::vector<Matrix> inputs = {test::RandomWalk(700, 13, 1), test::RandomWalk(3, 5, 2),
                                test::RandomWalk(1, 4, 3)};
  if (const std::string fsdd = test::RefFile("dc_in_fsdd.npy"); !fsdd.empty())
    inputs.push_back(test::ReadMatrix(fsdd));  // real MFCC
  std::uint64_t seed = 100;
  for (const Matrix& x : inputs) {
    for (const DeltaOptions& opts : kCases) {
      const Matrix batch = AddDeltas(x, opts);
      for (int trial = 0; trial < 3; ++trial) {
        OnlineDeltas online(opts, static_cast<int>(x.cols()));
        INFO("frames " << x.rows() << " " << opts.ToString() << " seed " << seed);
        CHECK(test::BitwiseEqual(test::StreamInRandomChunks(online, x, seed++), batch));
      }
    }
  }
}

TEST_CASE("Delta options and misuse give errors naming the problem") {
  CHECK(DeltaOptions{}.ToString() == "--delta-order=2 --delta-window=2");
  CHECK_THROWS_WITH_AS(DeltaOptions({-1, 2}).Validate(), doctest::Contains("--delta-order"),
                       Error);
  CHECK_THROWS_WITH_AS(DeltaOptions({2, 0}).Validate(), doctest::Contains("--delta-window"),
                       Error);
  CHECK_THROWS_WITH_AS(OnlineDeltas(DeltaOptions{}, 0), doctest::Contains("dimension"), Error);
  CHECK_THROWS_WITH_AS(AddDeltas(Matrix::Zero(3, 2), {2, -1}), doctest::Contains("--delta-window"),
                       Error);

  const Matrix empty = AddDeltas(Matrix(0, 13), DeltaOptions{});
  CHECK(empty.rows() == 0);
  CHECK(empty.cols() == 39);

  OnlineDeltas online(DeltaOptions{1, 1}, 2);
  CHECK_THROWS_WITH_AS(online.AcceptFrames(Matrix::Zero(2, 3)), doctest::Contains("expected 2"),
                       Error);
  online.AcceptFrames(Matrix::Ones(5, 2));
  CHECK(online.NumFramesReady() == 4);
  online.Pop(3);
  CHECK(online.NumFramesPopped() == 3);
  CHECK_THROWS_WITH_AS(online.Frame(2), doctest::Contains("not available"), Error);
  CHECK_THROWS_AS(online.Pop(2), Error);
  online.InputFinished();
  online.InputFinished();  // idempotent
  CHECK(online.NumFramesReady() == 5);
  CHECK_THROWS_WITH_AS(online.AcceptFrames(Matrix::Ones(1, 2)),
                       doctest::Contains("after InputFinished"), Error);
}
