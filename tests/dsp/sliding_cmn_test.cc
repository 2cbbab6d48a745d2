// Sliding-window CMN (Kaldi apply-cmvn-sliding) against hand-computed windows,
// against the direct float64 numpy implementation in make_deltas_cmvn.py
// (cross-checked there with torchaudio.functional.sliding_window_cmn), and
// online == batch for random chunkings.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "auris/core/error.h"
#include "auris/dsp/sliding_cmn.h"
#include "frame_stage_test_util.h"
#include "test_support.h"
#include "tolerances.h"

using namespace auris;
using namespace auris::dsp;

namespace {

const SlidingCmnOptions kCases[] = {
    {600, 100, false, false}, {600, 100, false, true}, {600, 100, true, false},
    {600, 100, true, true},   {50, 10, false, true},   {51, 10, true, true},
    {40, 60, false, false},   {5, 3, false, true},     {5, 3, true, true},
    {4, 1, true, false},
};

std::string CaseName(const char* input, const SlidingCmnOptions& o) {
  return std::string("sliding_") + input + "_w" + std::to_string(o.cmn_window_frames) + "_m" +
         std::to_string(o.min_cmn_window_frames) + "_" + (o.center ? "c" : "n") +
         (o.norm_vars ? "v" : "m") + ".npy";
}

Matrix Column(std::vector<float> v) {
  return Eigen::Map<Matrix>(v.data(), static_cast<Eigen::Index>(v.size()), 1);
}

void CheckColumn(const Matrix& got, const std::vector<double>& want) {
  REQUIRE(got.rows() == static_cast<Eigen::Index>(want.size()));
  for (std::size_t t = 0; t < want.size(); ++t) {
    INFO("frame " << t);
    CHECK(got(t, 0) == doctest::Approx(want[t]).epsilon(1e-6));
  }
}

}  // namespace

TEST_CASE("Sliding CMN windows on hand-computed cases") {
  const Matrix x = Column({1, 2, 4, 8, 16});
  // Left windows: [0,1) [0,2) [0,3) [1,4) [2,5) -- cmn_window + 1 frames once
  // full, as Kaldi computes them.
  CheckColumn(ApplySlidingCmn(x, {2, 1, false, false}),
              {0.0, 0.5, 4 - 7.0 / 3, 8 - 14.0 / 3, 16 - 28.0 / 3});
  // min_cmn_window 4: the first frames all use [0,4); then [1,4) and [2,5).
  CheckColumn(ApplySlidingCmn(x, {2, 4, false, false}),
              {1 - 3.75, 2 - 3.75, 4 - 3.75, 8 - 14.0 / 3, 16 - 28.0 / 3});
  // Centred, 3 frames: [0,3) [0,3) [1,4) [2,5) [2,5) (shifted at both ends).
  CheckColumn(ApplySlidingCmn(x, {3, 100, true, false}),
              {1 - 7.0 / 3, 2 - 7.0 / 3, 4 - 14.0 / 3, 8 - 28.0 / 3, 16 - 28.0 / 3});
  // Fewer frames than min_cmn_window: one window over everything.
  CheckColumn(ApplySlidingCmn(x, SlidingCmnOptions{}), {-5.2, -4.2, -2.2, 1.8, 9.8});
  // Variance: first frame's window is one frame -> 0; then [0,2) has mean
  // 1.5, stddev 0.5 -> (2 - 1.5) / 0.5 = 1.
  const Matrix v = ApplySlidingCmn(x, {2, 1, false, true});
  CHECK(v(0, 0) == 0.0f);
  CHECK(v(1, 0) == doctest::Approx(1.0));
}

TEST_CASE("Sliding CMN matches the numpy implementation of Kaldi's algorithm") {
  test::ForEachReferenceInput({"walk", "fsdd", "short7", "short3", "one"}, [](const char* input, const Matrix& x) {
    for (const SlidingCmnOptions& opts : kCases) {
      AURIS_REQUIRE_REF(ref, CaseName(input, opts));
      const double err = test::MaxScaledError(ApplySlidingCmn(x, opts), test::ReadMatrixD(ref));
      INFO(CaseName(input, opts) << " max scaled error " << err);
      CHECK(err <= test::tol::kDeltasCmvnScaled);
    }
  });
}

TEST_CASE("OnlineSlidingCmn latency: causal after min window, centred lags half a window") {
  const Matrix x = test::RandomWalk(800, 2, 11);
  OnlineSlidingCmn causal(SlidingCmnOptions{}, 2);
  OnlineSlidingCmn centred({600, 100, true, false}, 2);
  for (int t = 0; t < x.rows(); ++t) {
    causal.AcceptFrame(x.row(t).data());
    centred.AcceptFrame(x.row(t).data());
    const int received = t + 1;
    CHECK(causal.NumFramesReady() == (received < 100 ? 0 : received));
    // Frame t's centred window ends at max(600, t + 300).
    CHECK(centred.NumFramesReady() == (received < 600 ? 0 : received - 299));
  }
  causal.InputFinished();
  centred.InputFinished();
  CHECK(causal.NumFramesReady() == 800);
  CHECK(centred.NumFramesReady() == 800);
}

TEST_CASE("OnlineSlidingCmn equals ApplySlidingCmn bit for bit for random chunkings") {
  std::vector<Matrix> inputs = {test::RandomWalk(1400, 13, 5), test::RandomWalk(90, 3, 6),
                                test::RandomWalk(1, 2, 7)};
  if (const std::string fsdd = test::RefFile("dc_in_fsdd.npy"); !fsdd.empty())
    inputs.push_back(test::ReadMatrix(fsdd));  // real MFCC
  std::uint64_t seed = 300;
  for (const Matrix& x : inputs) {
    for (const SlidingCmnOptions& opts : kCases) {
      const Matrix batch = ApplySlidingCmn(x, opts);
      for (int trial = 0; trial < 2; ++trial) {
        OnlineSlidingCmn online(opts, static_cast<int>(x.cols()));
        INFO("frames " << x.rows() << " " << opts.ToString() << " seed " << seed);
        CHECK(test::BitwiseEqual(test::StreamInRandomChunks(online, x, seed++), batch));
      }
    }
  }
}

TEST_CASE("Sliding CMN options and misuse give errors naming the problem") {
  CHECK(SlidingCmnOptions{}.ToString() ==
        "--cmn-window=600 --min-cmn-window=100 --center=false --norm-vars=false");
  CHECK_THROWS_WITH_AS(SlidingCmnOptions({0, 100, false, false}).Validate(),
                       doctest::Contains("--cmn-window"), Error);
  CHECK_THROWS_WITH_AS(SlidingCmnOptions({600, -1, false, false}).Validate(),
                       doctest::Contains("--min-cmn-window"), Error);
  CHECK_THROWS_WITH_AS(OnlineSlidingCmn(SlidingCmnOptions{}, 0), doctest::Contains("dimension"),
                       Error);
  CHECK(ApplySlidingCmn(Matrix(0, 4), SlidingCmnOptions{}).rows() == 0);

  OnlineSlidingCmn online({3, 1, false, false}, 2);
  CHECK_THROWS_WITH_AS(online.AcceptFrames(Matrix::Zero(1, 3)), doctest::Contains("expected 2"),
                       Error);
  online.AcceptFrames(Matrix::Ones(4, 2));
  CHECK(online.NumFramesReady() == 4);
  CHECK(online.GetFrames(0, 4).cwiseAbs().maxCoeff() < 1e-6f);
  online.Pop(4);
  CHECK_THROWS_WITH_AS(online.Frame(3), doctest::Contains("not available"), Error);
  online.InputFinished();
  const Matrix frame = Matrix::Ones(1, 2);
  CHECK_THROWS_WITH_AS(online.AcceptFrame(frame.data()),
                       doctest::Contains("after InputFinished"), Error);
}
