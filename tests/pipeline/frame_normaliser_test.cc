// FrameNormaliser: frame by frame it equals the batch post-processing
// (PostProcess, whose CMVN is checked against Kaldi's rules in the dsp
// tests), and chains that look ahead are refused with the reason.
#include <doctest/doctest.h>

#include "auris/core/error.h"
#include "auris/core/rng.h"
#include "auris/pipeline/frame_normaliser.h"

using namespace auris;
using namespace auris::pipeline;

namespace {

Matrix RandomFeatures(int rows, int cols, std::uint64_t seed) {
  Rng rng(seed);
  Matrix m(rows, cols);
  for (Eigen::Index i = 0; i < m.size(); ++i) m.data()[i] = static_cast<float>(3 + 2 * rng.Gaussian());
  return m;
}

FeaturePipelineOptions Fbank(int bins) {
  FeaturePipelineOptions o;
  o.features.type = "fbank";
  o.features.fbank.mel.num_bins = bins;
  return o;
}

}  // namespace

TEST_CASE("FrameNormaliser equals PostProcess row by row") {
  const int dim = 6;
  const Matrix feats = RandomFeatures(50, dim, 1);
  for (CmvnMode mode : {CmvnMode::kNone, CmvnMode::kGlobal, CmvnMode::kOnline}) {
    for (bool norm_vars : {false, true}) {
      FeaturePipelineOptions o = Fbank(dim);
      o.cmvn = mode;
      o.cmvn_options.norm_vars = norm_vars;
      o.online = {.cmn_window_frames = 20, .global_frames = 8, .norm_vars = norm_vars};
      o.global_stats = dsp::ComputeCmvnStats(RandomFeatures(200, dim, 2));
      const Matrix want = PostProcess(feats, o);
      FrameNormaliser normaliser(o);
      Matrix got = feats;
      for (Eigen::Index r = 0; r < got.rows(); ++r) normaliser.Apply(got.row(r).data());
      CHECK((got - want).cwiseAbs().maxCoeff() == 0.0f);
      if (mode != CmvnMode::kNone) CHECK((got - feats).cwiseAbs().maxCoeff() > 0.5f);
    }
  }
}

TEST_CASE("FrameNormaliser refuses chains that look ahead") {
  FeaturePipelineOptions deltas = Fbank(6);
  deltas.add_deltas = true;
  CHECK_THROWS_WITH_AS(FrameNormaliser{deltas}, doctest::Contains("deltas"), Error);
  FeaturePipelineOptions utterance = Fbank(6);
  utterance.cmvn = CmvnMode::kUtterance;
  CHECK_THROWS_WITH_AS(FrameNormaliser{utterance}, doctest::Contains("utterance CMVN, which looks ahead"), Error);
  FeaturePipelineOptions sliding = Fbank(6);
  sliding.cmvn = CmvnMode::kSliding;
  CHECK_THROWS_WITH_AS(FrameNormaliser{sliding}, doctest::Contains("sliding CMVN"), Error);
}
