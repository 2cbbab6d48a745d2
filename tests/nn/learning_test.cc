// End-to-end learning: models built from JSON, trained with ParallelGradient
// (2 threads), cross-entropy / CTC and Adam, learn synthetic sequence tasks
// to >= 99% on held-out data within a bounded number of steps.
#include <doctest/doctest.h>

#include <algorithm>

#include "auris/nn/cross_entropy.h"
#include "auris/nn/ctc_loss.h"
#include "auris/nn/grad_clip.h"
#include "auris/nn/model.h"
#include "auris/nn/optimizer.h"
#include "auris/nn/parallel_gradient.h"

namespace auris::nn {
namespace {

constexpr int kDim = 8;
constexpr int kToneFrames = 3;

// Noise frames with "tones" (a feature held high for kToneFrames frames):
// tone k raises feature 2k+1.
Matrix NoiseSequence(int length, Rng& rng) {
  Matrix m(length, kDim);
  for (Eigen::Index i = 0; i < m.size(); ++i) m.data()[i] = static_cast<float>(0.3 * rng.Gaussian());
  return m;
}

void AddTone(Matrix& m, int start, int tone) {
  for (int t = start; t < start + kToneFrames; ++t) m(t, 2 * tone + 1) += 2.0f;
}

// Class 0: tone 0 then tone 1; class 1: tone 1 then tone 0 (order matters,
// so the model must use the sequence, not just which features occur).
struct ClassifyData {
  SeqBatch batch;
  std::vector<int> labels;
};

ClassifyData MakeOrderTask(int n, Rng& rng) {
  ClassifyData d;
  std::vector<Matrix> seqs;
  for (int i = 0; i < n; ++i) {
    const int length = 20 + static_cast<int>(rng.Index(21));
    Matrix m = NoiseSequence(length, rng);
    const int label = static_cast<int>(rng.Index(2));
    const int first = static_cast<int>(rng.Index(length / 2 - kToneFrames));
    const int second = length / 2 + static_cast<int>(rng.Index(length / 2 - kToneFrames));
    AddTone(m, first, label);
    AddTone(m, second, 1 - label);
    seqs.push_back(std::move(m));
    d.labels.push_back(label);
  }
  d.batch = SeqBatch::FromSequences(seqs);
  return d;
}

int Argmax(const RowVector& v) {
  Eigen::Index i;
  v.maxCoeff(&i);
  return static_cast<int>(i);
}

}  // namespace

TEST_CASE("Learning: LSTM + attention pooling classifies tone order to >= 99%") {
  Model model(R"({"input_dim": 8, "layers": [
    {"type": "lstm", "hidden": 16},
    {"type": "attention_pool"},
    {"type": "linear", "out": 2}]})", 1);
  Rng data_rng(2);
  const ClassifyData test = MakeOrderTask(200, data_rng);
  Adam adam(model.Params(), {.lr = 1e-2f});
  ParallelGradient pg(model, {.num_threads = 2});
  Grads grads(model.Params());
  double accuracy = 0;
  int step = 0;
  for (; step < 400 && accuracy < 0.995; ++step) {
    const ClassifyData train = MakeOrderTask(32, data_rng);
    const ShardLoss loss = [&](const SeqBatch& out, int first, SeqBatch& grad_out) {
      const std::vector<int> targets(train.labels.begin() + first, train.labels.begin() + first + out.batch);
      SeqLossResult r = CrossEntropy(out, targets, {.mean_over = 1});  // sum over the shard
      grad_out = std::move(r.grad);
      return LossSum{r.loss, static_cast<double>(out.batch)};
    };
    pg.Compute(train.batch, loss, true, step, grads);
    adam.Step(model.Params(), grads);
    if (step % 20 == 19) {
      RunContext ctx;
      const SeqBatch logits = model.Forward(test.batch, ctx);
      int correct = 0;
      for (int b = 0; b < test.batch.batch; ++b) correct += Argmax(logits.Frame(0, b)) == test.labels[b];
      accuracy = static_cast<double>(correct) / test.batch.batch;
    }
  }
  INFO("tone order: accuracy " << accuracy << " after " << step << " steps");
  CHECK(accuracy >= 0.99);
}

TEST_CASE("Learning: LSTM + CTC transcribes a sequence of tones to >= 99% of sequences") {
  // 3 tones (labels 1..3), 1-4 of them in a row, repeats allowed.
  Model model(R"({"input_dim": 8, "layers": [
    {"type": "lstm", "hidden": 24, "bidirectional": true},
    {"type": "linear", "out": 4}]})", 3);
  Rng data_rng(4);
  auto make = [&](int n, std::vector<std::vector<int>>& labels) {
    std::vector<Matrix> seqs;
    labels.clear();
    for (int i = 0; i < n; ++i) {
      const int count = 1 + static_cast<int>(data_rng.Index(4));
      std::vector<int> tones;
      Matrix m = NoiseSequence(6 + count * 7, data_rng);
      for (int k = 0; k < count; ++k) {
        const int tone = static_cast<int>(data_rng.Index(3));
        AddTone(m, 3 + 7 * k + static_cast<int>(data_rng.Index(3)), tone);
        tones.push_back(tone + 1);
      }
      seqs.push_back(std::move(m));
      labels.push_back(tones);
    }
    return SeqBatch::FromSequences(seqs);
  };
  std::vector<std::vector<int>> test_labels, train_labels;
  const SeqBatch test = make(200, test_labels);
  Adam adam(model.Params(), {.lr = 1e-2f});
  ParallelGradient pg(model, {.num_threads = 2});
  Grads grads(model.Params());
  double accuracy = 0;
  int step = 0;
  for (; step < 600 && accuracy < 0.995; ++step) {
    const SeqBatch train = make(32, train_labels);
    const ShardLoss loss = [&](const SeqBatch& out, int first, SeqBatch& grad_out) {
      const std::vector<std::vector<int>> targets(train_labels.begin() + first,
                                                  train_labels.begin() + first + out.batch);
      CtcResult r = CtcLoss(out, targets, {.reduction = CtcOptions::Reduction::kSum});
      grad_out = std::move(r.grad);
      return LossSum{r.loss, static_cast<double>(out.batch)};
    };
    pg.Compute(train, loss, false, step, grads);
    ClipGradNorm(grads, 5.0);
    adam.Step(model.Params(), grads);
    if (step % 20 == 19) {
      RunContext ctx;
      const SeqBatch logits = model.Forward(test, ctx);
      int correct = 0;
      for (int b = 0; b < test.batch; ++b) {
        std::vector<int> decoded;  // greedy: best class per frame, merge repeats, drop blanks
        int prev = kCtcBlank;
        for (int t = 0; t < test.lengths[b]; ++t) {
          const int c = Argmax(logits.Frame(t, b));
          if (c != kCtcBlank && c != prev) decoded.push_back(c);
          prev = c;
        }
        correct += decoded == test_labels[b];
      }
      accuracy = static_cast<double>(correct) / test.batch;
    }
  }
  INFO("tone CTC: sequence accuracy " << accuracy << " after " << step << " steps");
  CHECK(accuracy >= 0.99);
}

}  // namespace auris::nn
