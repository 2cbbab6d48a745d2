// CMVN from statistics (Kaldi compute-cmvn-stats / apply-cmvn): statistics and
// per-utterance / global normalisation against hand-computed values and the
// float64 numpy references of make_deltas_cmvn.py.
#include <doctest/doctest.h>

#include <limits>
#include <string>

#include "auris/core/error.h"
#include "auris/dsp/cmvn.h"
#include "frame_stage_test_util.h"
#include "test_support.h"
#include "tolerances.h"

using namespace auris;
using namespace auris::dsp;

namespace {

const CmvnOptions kMeanOnly{true, false};
const CmvnOptions kMeanVar{true, true};

}  // namespace

TEST_CASE("CMVN statistics and normalisation on a hand-computed case") {
  Matrix x(2, 2);
  x << 1, 2, 3, 6;
  const MatrixD stats = ComputeCmvnStats(x);
  MatrixD want(2, 3);
  want << 4, 8, 2, 10, 40, 0;  // sums + count; sums of squares
  CHECK(stats == want);

  // means (2, 4); variances 10/2 - 4 = 1 and 40/2 - 16 = 4.
  Matrix mean_only(2, 2), mean_var(2, 2);
  mean_only << -1, -2, 1, 2;
  mean_var << -1, -1, 1, 1;
  CHECK(ApplyUtteranceCmvn(x, kMeanOnly) == mean_only);
  CHECK(ApplyUtteranceCmvn(x, kMeanVar) == mean_var);
  CHECK(ApplyUtteranceCmvn(x, CmvnOptions{false, false}) == x);  // --norm-means=false

  // A weighted frame adds x*w, x*x*w and w.
  MatrixD acc = InitCmvnStats(2);
  const float frame[2] = {2.0f, -3.0f};
  AccCmvnStats(frame, 0.5f, &acc);
  MatrixD weighted(2, 3);
  weighted << 1.0, -1.5, 0.5, 2.0, 4.5, 0.0;
  CHECK(acc == weighted);
}

TEST_CASE("CMVN floors the variance and handles one-frame utterances like Kaldi") {
  // A constant dimension has variance 0: floored to 1e-20, so it maps to 0.
  Matrix x(3, 2);
  x << 2, 1, 2, 2, 2, 6;
  const Matrix y = ApplyUtteranceCmvn(x, kMeanVar);
  CHECK(y.col(0).isZero(0.0f));
  CHECK(y.allFinite());
  const Matrix one = ApplyUtteranceCmvn(Matrix::Constant(1, 3, 5.0f), kMeanVar);
  CHECK(one.isZero(0.0f));
}

TEST_CASE("CMVN statistics match numpy - accumulation over parts equals the whole") {
  for (const char* input : {"walk", "fsdd", "short7", "one"}) {
    AURIS_REQUIRE_REF(in, std::string("dc_in_") + input + ".npy");
    AURIS_REQUIRE_REF(ref, std::string("cmvn_stats_") + input + ".npy");
    const Matrix x = test::ReadMatrix(in);
    const MatrixD want = test::ReadMatrixD(ref);
    const MatrixD got = ComputeCmvnStats(x);
    REQUIRE(got.rows() == 2);
    REQUIRE(got.cols() == want.cols());
    CHECK(got(0, x.cols()) == x.rows());
    CHECK(got(1, x.cols()) == 0.0);
    const double err = ((got - want).cwiseAbs().array() /
                        want.cwiseAbs().array().max(1.0)).maxCoeff();
    INFO(input << " stats max relative error " << err);
    CHECK(err <= test::tol::kCmvnStatsRel);

    const Eigen::Index half = x.rows() / 2;
    MatrixD parts = InitCmvnStats(static_cast<int>(x.cols()));
    AccCmvnStats(Matrix(x.topRows(half)), &parts);
    AccCmvnStats(Matrix(x.bottomRows(x.rows() - half)), &parts);
    CHECK(parts == got);
  }
}

TEST_CASE("Per-utterance CMVN matches numpy (mean, mean+variance)") {
  for (const char* input : {"walk", "fsdd", "short7", "short3"}) {
    AURIS_REQUIRE_REF(in, std::string("dc_in_") + input + ".npy");
    const Matrix x = test::ReadMatrix(in);
    for (const bool vars : {false, true}) {
      const std::string name =
          std::string("cmvn_utt_") + input + (vars ? "_meanvar.npy" : "_mean.npy");
      AURIS_REQUIRE_REF(ref, name);
      const double err = test::MaxScaledError(ApplyUtteranceCmvn(x, {true, vars}),
                                              test::ReadMatrixD(ref));
      INFO(name << " max scaled error " << err);
      CHECK(err <= test::tol::kDeltasCmvnScaled);
    }
  }
}

TEST_CASE("Global CMVN with another corpus' statistics matches numpy") {
  AURIS_REQUIRE_REF(walk, "dc_in_walk.npy");
  AURIS_REQUIRE_REF(fsdd, "dc_in_fsdd.npy");
  const MatrixD stats = ComputeCmvnStats(test::ReadMatrix(walk));
  const Matrix x = test::ReadMatrix(fsdd);
  for (const bool vars : {false, true}) {
    const std::string name =
        std::string("cmvn_global_fsdd_by_walk_") + (vars ? "meanvar.npy" : "mean.npy");
    AURIS_REQUIRE_REF(ref, name);
    Matrix y = x;
    ApplyCmvn(stats, {true, vars}, &y);
    const double err = test::MaxScaledError(y, test::ReadMatrixD(ref));
    INFO(name << " max scaled error " << err);
    CHECK(err <= test::tol::kDeltasCmvnScaled);

    // Frame by frame (streaming) gives the same bits as the whole matrix.
    const CmvnTransform transform(stats, {true, vars});
    Matrix z = x;
    for (Eigen::Index t = 0; t < z.rows(); ++t)
      transform.ApplyFrame({z.row(t).data(), static_cast<std::size_t>(z.cols())});
    CHECK(test::BitwiseEqual(z, y));
  }
}

TEST_CASE("CMVN errors name the option or the statistics problem") {
  CHECK(CmvnOptions{}.ToString() == "--norm-means=true --norm-vars=false");
  CHECK_THROWS_WITH_AS(CmvnOptions({false, true}).Validate(), doctest::Contains("--norm-vars"),
                       Error);
  CHECK_THROWS_WITH_AS(InitCmvnStats(0), doctest::Contains("dimension"), Error);
  Matrix x = Matrix::Ones(4, 3);
  CHECK_THROWS_WITH_AS(ApplyCmvn(MatrixD::Zero(2, 4), kMeanOnly, &x), doctest::Contains("count"),
                       Error);
  CHECK_THROWS_WITH_AS(ApplyCmvn(MatrixD::Ones(3, 4), kMeanOnly, &x), doctest::Contains("2x"),
                       Error);
  CHECK_THROWS_WITH_AS(ApplyCmvn(ComputeCmvnStats(Matrix::Ones(2, 5)), kMeanOnly, &x),
                       doctest::Contains("dimension"), Error);
  MatrixD stats = InitCmvnStats(2);
  CHECK_THROWS_WITH_AS(AccCmvnStats(x, &stats), doctest::Contains("expected 2x4"), Error);
  MatrixD nan_stats = ComputeCmvnStats(x);
  nan_stats(0, 1) = std::numeric_limits<double>::quiet_NaN();
  CHECK_THROWS_WITH_AS(CmvnTransform(nan_stats, kMeanVar), doctest::Contains("NaN"), Error);
  // A finite mean beyond float range would normalise every frame to -inf.
  MatrixD huge_stats = ComputeCmvnStats(x);
  huge_stats(0, 1) = 1e300;
  CHECK_THROWS_WITH_AS(CmvnTransform(huge_stats, kMeanOnly), doctest::Contains("beyond float range"), Error);
}
