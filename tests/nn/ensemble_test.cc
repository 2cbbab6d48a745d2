// Ensemble layer: the output is the mean of member networks built and run on
// their own (same weights, imported under their own names), gradients by
// finite differences, Step == Forward, and bad descriptions rejected.
#include <doctest/doctest.h>

#include <string>

#include "auris/core/error.h"
#include "auris/nn/model.h"
#include "gradcheck.h"

namespace auris::nn {
namespace {

constexpr const char* kMemberLayers =
    R"([{"type": "lstm", "hidden": 6}, {"type": "attention_pool"}, {"type": "linear", "out": 3}])";

std::string Arch(int input_dim, const std::string& layers) {
  return R"({"input_dim": )" + std::to_string(input_dim) + R"(, "layers": )" + layers + "}";
}

std::string EnsembleArch(int input_dim, const std::string& member, int members) {
  std::string m;
  for (int k = 0; k < members; ++k) m += std::string(k ? ", " : "") + R"({"layers": )" + member + "}";
  return Arch(input_dim, R"([{"type": "ensemble", "members": [)" + m + "]}]");
}

// Member k of `ensemble` as a model of its own (its tensors renamed back).
Model MemberModel(const Model& ensemble, int input_dim, const std::string& member, int k) {
  Model m(Arch(input_dim, member), 99);  // different init: the import must overwrite it
  const std::string prefix = "layers.0.members." + std::to_string(k) + ".";
  std::vector<NamedTensor> mine;
  for (NamedTensor t : ensemble.ExportParams())
    if (t.name.starts_with(prefix)) {
      t.name = t.name.substr(prefix.size());
      mine.push_back(std::move(t));
    }
  m.ImportParams(mine);
  return m;
}

}  // namespace

TEST_CASE("Ensemble: output is the mean of the members run as separate models") {
  const Model e(EnsembleArch(5, kMemberLayers, 3), 1);
  CHECK(e.IsPooled());
  CHECK(e.Params().Find("layers.0.members.2.layers.2.weight") >= 0);
  Rng rng(2);
  const SeqBatch x = test::RandomSeqBatch({9, 4}, 5, rng);
  RunContext ctx;
  const SeqBatch y = e.Forward(x, ctx);
  Matrix mean = Matrix::Zero(y.data.rows(), y.data.cols());
  for (int k = 0; k < 3; ++k) mean += MemberModel(e, 5, kMemberLayers, k).Forward(x, ctx).data / 3.0f;
  CHECK((y.data - mean).cwiseAbs().maxCoeff() < 1e-6f);
  // The members differ, so the mean is not any one of them.
  CHECK((MemberModel(e, 5, kMemberLayers, 0).Forward(x, ctx).data - mean).cwiseAbs().maxCoeff() > 1e-3f);
}

TEST_CASE("Ensemble: gradients by finite differences, pooled and per frame") {
  Rng rng(3);
  const SeqBatch x = test::RandomSeqBatch({6, 3}, 4, rng);
  for (const char* member : {kMemberLayers, R"([{"type": "lstm", "hidden": 5}, {"type": "linear", "out": 2}])"}) {
    Model e(EnsembleArch(4, member, 2), 4);
    const auto report = test::CheckLayerGradients(e.Layers(), e.Params(), x);
    CHECK_MESSAGE(report.Ok(), report.ToString());
  }
}

TEST_CASE("Ensemble: Step frame by frame equals Forward") {
  const std::string member =
      R"([{"type": "lstm", "hidden": 6}, {"type": "attention", "heads": 2, "window": 4}, {"type": "linear", "out": 3}])";
  const Model e(EnsembleArch(6, member, 2), 5);
  REQUIRE(e.IsCausal());
  Rng rng(6);
  const SeqBatch x = test::RandomSeqBatch({11}, 6, rng);
  RunContext ctx;
  const SeqBatch y = e.Forward(x, ctx);
  ModelStream stream = e.CreateStream();
  for (int t = 0; t < 11; ++t) {
    const float* out = stream.Step(x.Frame(t, 0).data());
    CHECK((Eigen::Map<const RowVector>(out, 3) - y.Frame(t, 0)).cwiseAbs().maxCoeff() < 2e-5f);
  }
}

TEST_CASE("Ensemble: bad descriptions are rejected with the reason") {
  CHECK_THROWS_WITH_AS(Model(Arch(4, R"([{"type": "ensemble", "members": []}])")),
                       doctest::Contains("'members' must be a non-empty array"), Error);
  CHECK_THROWS_WITH_AS(Model(Arch(4, R"([{"type": "ensemble", "members": [
                                     {"layers": [{"type": "linear", "out": 3}]},
                                     {"layers": [{"type": "linear", "out": 2}]}]}])")),
                       doctest::Contains("member 1 maps width 4 to 2"), Error);
  CHECK_THROWS_WITH_AS(Model(Arch(4, R"([{"type": "ensemble", "members": [
                                     {"layers": [{"type": "attention_pool"}]},
                                     {"layers": [{"type": "linear", "out": 4}]}]}])")),
                       doctest::Contains("member 1: pools the sequence"), Error);
  CHECK_THROWS_WITH_AS(Model(Arch(4, R"([{"type": "ensemble", "members": [{"layer": []}]}])")),
                       doctest::Contains("member 0: must be an object with a non-empty 'layers' array"), Error);
  CHECK_THROWS_WITH_AS(Model(Arch(4, R"([{"type": "ensemble", "members": [{"layers": []}]}])")),
                       doctest::Contains("non-empty 'layers' array"), Error);
}

}  // namespace auris::nn
