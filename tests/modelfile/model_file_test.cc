#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include "auris/core/error.h"
#include "auris/io/npy.h"
#include "auris/io/safetensors.h"
#include "auris/modelfile/model_file.h"
#include "test_support.h"
#include "tolerances.h"

using namespace auris;
using namespace auris::test;

namespace {

nn::SeqBatch LoadBatch(const std::string& input_npy, const std::string& lengths_npy) {
  const io::NpyArray x = io::ReadNpy(input_npy);  // T, B, D
  const io::NpyArray len = io::ReadNpy(lengths_npy);
  nn::SeqBatch s;
  s.steps = static_cast<int>(x.shape[0]);
  s.batch = static_cast<int>(x.shape[1]);
  const auto dim = static_cast<Eigen::Index>(x.shape[2]);
  s.data.resize(static_cast<Eigen::Index>(s.steps) * s.batch, dim);
  for (Eigen::Index i = 0; i < s.data.size(); ++i) s.data.data()[i] = static_cast<float>(x.values[i]);
  for (double l : len.values) s.lengths.push_back(static_cast<int>(l));
  return s;
}

double RelError(const Matrix& a, const MatrixD& b) {
  return (a.cast<double>() - b).cwiseAbs().maxCoeff() / std::max(b.cwiseAbs().maxCoeff(), 1e-12);
}

}  // namespace

TEST_CASE("a model file written by PyTorch loads and gives PyTorch's outputs") {
  AURIS_REQUIRE_REF(path, "model_torch.safetensors");
  const modelfile::LoadedModel m = modelfile::LoadModel(path);
  CHECK(m.info.labels == std::vector<std::string>{"a", "b", "c", "d"});
  CHECK(nlohmann::json::parse(m.info.features_json)["num-mel-bins"] == 12);
  CHECK(m.info.extra.at("task") == "classify");
  CHECK(m.model->IsPooled());

  const nn::SeqBatch in = LoadBatch(RefFile("model_input.npy"), RefFile("model_lengths.npy"));
  nn::RunContext ctx;
  const nn::SeqBatch out = m.model->Forward(in, ctx);
  const MatrixD expected = io::ReadNpy(RefFile("model_output.npy")).ToMatrixD();
  REQUIRE(out.data.rows() == expected.rows());
  REQUIRE(out.data.cols() == expected.cols());
  CHECK(RelError(out.data, expected) <= tol::kForwardRel);

  // Streaming the same model frame by frame gives the pooled output too.
  nn::ModelStream stream = m.model->CreateStream();
  for (int b = 0; b < in.batch; ++b) {
    stream.Reset();
    const float* y = nullptr;
    for (int t = 0; t < in.lengths[b]; ++t) y = stream.Step(in.Frame(t, b).data());
    Matrix row = Eigen::Map<const Matrix>(y, 1, stream.OutputDim());
    CHECK(RelError(row, expected.row(b)) <= tol::kForwardRel);
  }
}

TEST_CASE("SaveModel writes metadata and weights that LoadModel reads back") {
  TempDir dir;
  const std::string arch =
      R"({"input_dim": 6, "layers": [{"type": "lstm", "hidden": 8}, {"type": "linear", "out": 3}]})";
  nn::Model model(arch, 5);
  modelfile::ModelInfo info;
  info.labels = {"yes", "no", "up"};
  info.features_json = R"({"type":"mfcc"})";
  info.extra["task"] = "classify";
  modelfile::SaveModel(dir / "m.safetensors", model, info);
  const auto loaded = modelfile::LoadModel(dir / "m.safetensors");
  CHECK(loaded.info.labels == info.labels);
  CHECK(loaded.info.features_json == info.features_json);
  CHECK(loaded.info.extra.at("task") == "classify");
  const auto a = model.ExportParams(), b = loaded.model->ExportParams();
  REQUIRE(a.size() == b.size());
  for (std::size_t i = 0; i < a.size(); ++i) {
    CHECK(a[i].name == b[i].name);
    CHECK(a[i].data == b[i].data);
  }
}

TEST_CASE("model files that do not fit their architecture give clear errors") {
  TempDir dir;
  const std::string arch =
      R"({"input_dim": 6, "layers": [{"type": "lstm", "hidden": 8}, {"type": "linear", "out": 3}]})";
  nn::Model model(arch, 5);
  modelfile::SaveModel(dir / "m.safetensors", model, {});
  const io::SafetensorsFile good = io::ReadSafetensors(dir / "m.safetensors");

  auto expect_error = [&](io::SafetensorsFile f, const std::string& needle) {
    const std::string bytes = io::SafetensorsBytes(f);
    try {
      modelfile::LoadModelFromBytes(bytes, "bad.safetensors");
      FAIL("no error for " << needle);
    } catch (const auris::Error& e) {
      const std::string what = e.what();
      CHECK_MESSAGE(what.find("bad.safetensors") != std::string::npos, what);
      CHECK_MESSAGE(what.find(needle) != std::string::npos, what);
    }
  };
  auto f = good;
  f.metadata.erase("architecture");
  expect_error(f, "no 'architecture'");
  f = good;
  f.metadata["architecture"] = R"({"input_dim": 6, "layers": [{"type": "lstm", "hidden": 9}, {"type": "linear", "out": 3}]})";
  expect_error(f, "shape");
  f = good;
  f.metadata["architecture"] = "{not json";
  expect_error(f, "bad architecture");
  f = good;
  f.tensors.pop_back();
  expect_error(f, "missing tensor");
  f = good;
  f.tensors.push_back({"layers.9.weight", {1}, {0.5f}});
  expect_error(f, "unexpected tensor 'layers.9.weight'");
  f = good;
  f.metadata["labels"] = "[1, 2]";
  expect_error(f, "labels");
  // Far more parameters than the file stores: refused before allocating them.
  f = good;
  f.metadata["architecture"] = R"({"input_dim": 6, "layers": [{"type": "linear", "out": 1000000}]})";
  expect_error(f, "bad architecture: model architecture layer 0 (linear): layers.0.weight: the parameters would exceed");
}
