// Several streams stepped at once (Layer::StepMany, ModelStream::StepMany):
// the weight-sharing kernel against W x computed in double, and every
// stream's output exactly what Step gives it alone, for more streams than
// one pass takes, streams of different ages, and an ensemble.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "alloc_counter.h"
#include "auris/nn/mat_vec_many.h"
#include "auris/nn/model.h"
#include "gradcheck.h"
#include "test_support.h"

namespace auris::nn {
namespace {

std::vector<float> RandomVector(int n, Rng& rng) {
  std::vector<float> v(static_cast<std::size_t>(n));
  for (float& x : v) x = static_cast<float>(rng.Uniform(-1, 1));
  return v;
}

TEST_CASE("AddMatVecMany: y_i += W x_i as in double, the same for a vector alone or with others") {
  Rng rng(3);
  for (const auto& [rows, cols] : {std::pair{37, 13}, std::pair{69, 40}, std::pair{512, 128}}) {
    CAPTURE(rows);
    Matrix w(rows, cols);
    test::FillGaussian(w, rng);
    const Matrix wt = w.transpose();
    const int n = 7;  // more than one pass of the kernel takes
    std::vector<std::vector<float>> x, y0;
    for (int i = 0; i < n; ++i) {
      x.push_back(RandomVector(cols, rng));
      y0.push_back(RandomVector(rows, rng));
    }
    std::vector<std::vector<float>> together = y0;
    std::vector<const float*> xp;
    std::vector<float*> yp;
    for (int i = 0; i < n; ++i) {
      xp.push_back(x[i].data());
      yp.push_back(together[i].data());
    }
    AddMatVecMany(wt, xp, yp);
    for (int i = 0; i < n; ++i) {
      for (int r = 0; r < rows; ++r) {
        double want = y0[i][r];
        for (int c = 0; c < cols; ++c) want += static_cast<double>(w(r, c)) * x[i][c];
        CHECK(std::abs(together[i][r] - want) <= 1e-4 * (1 + std::abs(want)));
      }
      std::vector<float> alone = y0[i];
      const float* xi[] = {x[i].data()};
      float* yi[] = {alone.data()};
      AddMatVecMany(wt, xi, yi);
      CHECK(alone == together[i]);
    }
  }
}

// Streams started every 2 frames step together (StepMany over the live ones)
// and, as twins, one by one (Step); outputs must be identical.
void CheckStepManyEqualsStep(const std::string& arch, int streams, int frames) {
  Model m(arch, 11);
  Rng rng(12);
  std::vector<ModelStream> many, single;
  for (int i = 0; i < streams; ++i) {
    many.push_back(m.CreateStream());
    single.push_back(m.CreateStream());
  }
  for (int t = 0; t < frames; ++t) {
    const std::vector<float> frame = RandomVector(m.InputDim(), rng);
    std::vector<ModelStream*> live;
    for (int i = 0; i < streams && 2 * i <= t; ++i) live.push_back(&many[static_cast<std::size_t>(i)]);
    ModelStream::StepMany(live, frame.data());
    for (std::size_t i = 0; i < live.size(); ++i) {
      const float* want = single[i].Step(frame.data());
      CAPTURE(t);
      CAPTURE(i);
      CHECK(live[i]->FramesSeen() == single[i].FramesSeen());
      CHECK(std::vector<float>(live[i]->Output(), live[i]->Output() + m.OutputDim()) ==
            std::vector<float>(want, want + m.OutputDim()));
    }
  }
}

TEST_CASE("ModelStream::StepMany: every stream gets exactly what Step gives it alone") {
  // hidden 9: 36 gate rows, a kernel block and rows left over.
  const std::string classifier = R"({"input_dim": 6, "layers": [
    {"type": "lstm", "hidden": 9, "num_layers": 2}, {"type": "attention", "heads": 3, "window": 5},
    {"type": "layernorm"}, {"type": "attention_pool"}, {"type": "linear", "out": 4}]})";
  CheckStepManyEqualsStep(classifier, 19, 50);  // 19 > Layer::kMaxStepMany: two passes
  const std::string member = R"({"layers": [{"type": "lstm", "hidden": 16, "num_layers": 2},
    {"type": "attention_pool"}, {"type": "linear", "out": 3}]})";
  CheckStepManyEqualsStep(R"({"input_dim": 5, "layers": [{"type": "ensemble", "members": [)" + member + ", " +
                              member + "]}]}",
                          5, 30);
}

// Each stream its own frame (the clients of a server): 19 streams, started
// every 2 frames, of a stacking model so groups complete at different calls.
TEST_CASE("ModelStream::StepMany with a frame per stream: each gets what Step gives it alone") {
  Model m(R"({"input_dim": 4, "stack": 3, "layers": [{"type": "lstm", "hidden": 9, "num_layers": 2},
    {"type": "attention", "heads": 3, "window": 5}, {"type": "linear", "out": 5}]})", 13);
  Rng rng(14);
  const int streams = 19;  // > Layer::kMaxStepMany: two passes
  std::vector<ModelStream> many, single;
  for (int i = 0; i < streams; ++i) {
    many.push_back(m.CreateStream());
    single.push_back(m.CreateStream());
  }
  int outputs = 0;
  for (int t = 0; t < 40; ++t) {
    std::vector<std::vector<float>> frames;
    std::vector<ModelStream*> live;
    std::vector<const float*> in;
    for (int i = 0; i < streams && 2 * i <= t; ++i) {
      frames.push_back(RandomVector(m.InputDim(), rng));
      live.push_back(&many[static_cast<std::size_t>(i)]);
    }
    for (const std::vector<float>& f : frames) in.push_back(f.data());
    ModelStream::StepMany(live, in);
    for (std::size_t i = 0; i < live.size(); ++i) {
      const float* want = single[i].Step(in[i]);
      CAPTURE(t);
      CAPTURE(i);
      REQUIRE(live[i]->OutputIsNew() == (want != nullptr));
      if (want == nullptr) continue;
      ++outputs;
      CHECK(std::vector<float>(live[i]->Output(), live[i]->Output() + m.OutputDim()) ==
            std::vector<float>(want, want + m.OutputDim()));
    }
  }
  CHECK(outputs > 100);
}

TEST_CASE("ModelStream::StepMany allocates nothing") {
  AURIS_SKIP_IF(!test::AllocCounterActive(), "allocation counting is off under the sanitizers");
  Model m(R"({"input_dim": 40, "layers": [{"type": "lstm", "hidden": 32, "num_layers": 2},
    {"type": "attention_pool"}, {"type": "linear", "out": 10}]})");
  std::vector<ModelStream> streams;
  for (int i = 0; i < 5; ++i) streams.push_back(m.CreateStream());
  std::vector<ModelStream*> live;
  for (ModelStream& s : streams) live.push_back(&s);
  const std::vector<float> frame(40, 1.0f);
  ModelStream::StepMany(live, frame.data());
  const long long before = test::AllocationCount();
  for (int t = 0; t < 50; ++t) ModelStream::StepMany(live, frame.data());
  CHECK(test::AllocationCount() == before);
}

}  // namespace
}  // namespace auris::nn
