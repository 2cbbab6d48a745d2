// Online (causal) CMVN, Kaldi's apply-cmvn-online: against hand-computed
// windows, against the direct float64 numpy implementation of Kaldi's
// OnlineCmvn in make_deltas_cmvn.py, and the property it exists for: once
// the window is full, a constant offset (a louder input) leaves no trace.
#include <doctest/doctest.h>

#include <limits>
#include <string>
#include <vector>

#include "auris/core/error.h"
#include "auris/dsp/online_cmvn.h"
#include "frame_stage_test_util.h"
#include "test_support.h"
#include "tolerances.h"

using namespace auris;
using namespace auris::dsp;

namespace {

const OnlineCmvnOptions kCases[] = {
    {600, 200, false}, {600, 200, true}, {50, 10, true}, {5, 0, false}, {5, 3, true}, {1, 0, false},
};

std::string CaseName(const char* input, const OnlineCmvnOptions& o) {
  return std::string("online_") + input + "_w" + std::to_string(o.cmn_window_frames) + "_g" +
         std::to_string(o.global_frames) + "_" + (o.norm_vars ? "v" : "m") + ".npy";
}

// Global statistics of `count` frames with this mean and mean square, 1-d.
MatrixD Prior(double mean, double mean_square, double count) {
  MatrixD s = MatrixD::Zero(2, 2);
  s(0, 0) = mean * count;
  s(1, 0) = mean_square * count;
  s(0, 1) = count;
  return s;
}

Matrix Column(std::vector<float> v) {
  return Eigen::Map<Matrix>(v.data(), static_cast<Eigen::Index>(v.size()), 1);
}

}  // namespace

TEST_CASE("Online CMVN on hand-computed windows") {
  const Matrix x = Column({1, 2, 4, 8, 16});
  // Window 3, prior mean 10 worth 2 frames: frame 0 sees {1} + 2 x 10 -> mean
  // 7; frame 1 {1,2} + 1 x 10 -> 13/3; then the window is full: {1,2,4},
  // {2,4,8}, {4,8,16}.
  const Matrix got = ApplyOnlineCmvn(x, {3, 2, false}, Prior(10, 100, 50));
  const std::vector<double> want = {1 - 7.0, 2 - 13.0 / 3, 4 - 7.0 / 3, 8 - 14.0 / 3, 16 - 28.0 / 3};
  for (int t = 0; t < 5; ++t) CHECK(got(t, 0) == doctest::Approx(want[t]).epsilon(1e-6));
  // global_frames 0: the window alone, so the first frame normalises to 0.
  CHECK(ApplyOnlineCmvn(x, {3, 0, false}, Prior(10, 100, 50))(0, 0) == 0.0f);
  // Variance: frame 1 with window 2 and no prior: {1, 2} -> (2 - 1.5) / 0.5.
  CHECK(ApplyOnlineCmvn(x, {2, 0, true}, Prior(10, 100, 50))(1, 0) == doctest::Approx(1.0));
}

TEST_CASE("Online CMVN matches the numpy implementation of Kaldi's OnlineCmvn") {
  test::ForEachReferenceInput({"walk", "fsdd", "short7", "short3", "one"}, [](const char* input, const Matrix& x) {
    AURIS_REQUIRE_REF(prior, std::string("online_prior_") + input + ".npy");
    const MatrixD stats = test::ReadMatrixD(prior);
    for (const OnlineCmvnOptions& opts : kCases) {
      AURIS_REQUIRE_REF(ref, CaseName(input, opts));
      const double err = test::MaxScaledError(ApplyOnlineCmvn(x, opts, stats), test::ReadMatrixD(ref));
      INFO(CaseName(input, opts) << " max scaled error " << err);
      CHECK(err <= test::tol::kDeltasCmvnScaled);
    }
  });
}

TEST_CASE("Online CMVN removes a constant offset once the window is full, global CMVN does not") {
  const Matrix x = test::RandomWalk(400, 5, 3);
  const Matrix louder = (x.array() + 3.7f).matrix();  // +16 dB on a log-mel scale
  MatrixD prior = MatrixD::Zero(2, 6);
  prior.row(0).head(5).setConstant(2.0 * 1000);
  prior.row(1).head(5).setConstant(9.0 * 1000);
  prior(0, 5) = 1000;
  const OnlineCmvnOptions opts{100, 50, true};
  const Matrix a = ApplyOnlineCmvn(x, opts, prior), b = ApplyOnlineCmvn(louder, opts, prior);
  // Frames 0..98 still lean on the prior; from frame 99 on the window alone.
  CHECK((a.topRows(99) - b.topRows(99)).cwiseAbs().maxCoeff() > 0.1f);
  CHECK((a.bottomRows(301) - b.bottomRows(301)).cwiseAbs().maxCoeff() < 1e-4f);
}

TEST_CASE("OnlineCmvn streams frame by frame, and Reset starts a new stream") {
  const Matrix x = test::RandomWalk(300, 4, 9);
  MatrixD prior = MatrixD::Zero(2, 5);
  prior.row(0).head(4).setConstant(-3.0 * 10);
  prior.row(1).head(4).setConstant(12.0 * 10);
  prior(0, 4) = 10;
  const OnlineCmvnOptions opts{64, 20, true};
  const Matrix batch = ApplyOnlineCmvn(x, opts, prior);
  OnlineCmvn online(opts, prior);
  for (int pass = 0; pass < 2; ++pass) {
    Matrix got = x;
    for (Eigen::Index r = 0; r < got.rows(); ++r) online.ApplyFrame({got.row(r).data(), 4});
    CHECK(test::BitwiseEqual(got, batch));
    online.Reset();
  }
}

TEST_CASE("Online CMVN refuses bad options and statistics") {
  MatrixD prior = MatrixD::Zero(2, 3);
  prior(0, 2) = 10;
  CHECK_THROWS_WITH_AS(OnlineCmvn({0, 200, false}, prior), doctest::Contains("--cmn-window"), Error);
  CHECK_THROWS_WITH_AS(OnlineCmvn({kMaxOnlineCmnWindow + 1, 200, false}, prior),
                       doctest::Contains("--cmn-window must be 1..100000"), Error);
  CHECK_THROWS_WITH_AS(OnlineCmvn({600, -1, false}, prior), doctest::Contains("--global-frames"), Error);
  CHECK_THROWS_WITH_AS(OnlineCmvn({600, 200, false}, MatrixD::Zero(2, 3)), doctest::Contains("count"), Error);
  CHECK_THROWS_WITH_AS(OnlineCmvn({600, 200, false}, MatrixD::Zero(3, 3)), doctest::Contains("2x(dim+1)"), Error);
  prior(0, 0) = std::numeric_limits<double>::quiet_NaN();
  CHECK_THROWS_WITH_AS(OnlineCmvn({600, 200, false}, prior), doctest::Contains("NaN"), Error);
  prior(0, 0) = 0;
  CHECK_THROWS_WITH_AS(ApplyOnlineCmvn(Matrix::Zero(4, 3), {600, 200, false}, prior),
                       doctest::Contains("dimension 3"), Error);
}
