// End-to-end CTC learning with a causal (streamable) model: a synthetic
// "tones" task — utterances of 1-4 tones from a 4-symbol alphabet, each tone
// a few frames of a symbol-specific feature pattern plus Gaussian noise, with
// random silences between tones (repeated symbols always have one, so CTC
// must emit a blank between them). A unidirectional LSTM + windowed causal
// attention + linear model trained with ParallelGradient (2 threads), CTC
// and AdamW with gradient clipping must transcribe >= 99% of held-out
// utterances exactly (greedy decoding); training is bit-for-bit deterministic,
// and streaming the model frame by frame transcribes like the whole batch.
#include <doctest/doctest.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <vector>

#include "auris/core/rng.h"
#include "auris/decode/ctc_greedy.h"
#include "auris/nn/ctc_loss.h"
#include "auris/nn/grad_clip.h"
#include "auris/nn/model.h"
#include "auris/nn/optimizer.h"
#include "auris/nn/parallel_gradient.h"

namespace auris::nn {
namespace {

constexpr int kSymbols = 4;  // labels 1..4; 0 is the CTC blank
constexpr int kDim = 12;
constexpr float kNoise = 0.5f;
constexpr std::uint64_t kPatternSeed = 100;  // the symbols' patterns: shared by all sets

const char* const kArchitecture = R"({"input_dim": 12, "layers": [
  {"type": "lstm", "hidden": 32},
  {"type": "residual", "layers": [{"type": "attention", "heads": 2, "window": 8}]},
  {"type": "linear", "out": 5}]})";

struct ToneSet {
  SeqBatch features;
  std::vector<std::vector<int>> labels;
};

// Row k-1: the mean feature vector of symbol k (silence has mean 0).
Matrix SymbolPatterns() {
  Rng rng(kPatternSeed);
  Matrix p(kSymbols, kDim);
  for (Eigen::Index i = 0; i < p.size(); ++i) p.data()[i] = static_cast<float>(rng.Gaussian());
  return p;
}

ToneSet MakeToneSet(int n, Rng& rng) {
  static const Matrix patterns = SymbolPatterns();
  ToneSet set;
  std::vector<Matrix> seqs;
  for (int u = 0; u < n; ++u) {
    const int count = 1 + static_cast<int>(rng.Index(4));
    std::vector<int> labels;
    std::vector<int> rows;  // per frame: symbol index, or -1 for silence
    auto silence = [&](int frames) { rows.insert(rows.end(), frames, -1); };
    silence(static_cast<int>(rng.Index(4)));
    for (int k = 0; k < count; ++k) {
      const int symbol = 1 + static_cast<int>(rng.Index(kSymbols));
      if (k > 0) {
        const int min_gap = symbol == labels.back() ? 1 : 0;  // a repeat needs a separating gap
        silence(min_gap + static_cast<int>(rng.Index(4 - min_gap)));
      }
      rows.insert(rows.end(), 4 + rng.Index(5), symbol - 1);  // 4-8 frames
      labels.push_back(symbol);
    }
    silence(static_cast<int>(rng.Index(4)));
    Matrix m(static_cast<Eigen::Index>(rows.size()), kDim);
    for (Eigen::Index t = 0; t < m.rows(); ++t) {
      for (int d = 0; d < kDim; ++d) {
        const float mean = rows[t] < 0 ? 0.0f : patterns(rows[t], d);
        m(t, d) = mean + kNoise * static_cast<float>(rng.Gaussian());
      }
    }
    seqs.push_back(std::move(m));
    set.labels.push_back(std::move(labels));
  }
  set.features = SeqBatch::FromSequences(seqs);
  return set;
}

// Sequence b of a time-major batch as a T_b x C view (no copy).
Eigen::Map<const Matrix, 0, Eigen::OuterStride<>> SequenceView(const SeqBatch& batch, int b) {
  return {batch.data.data() + static_cast<Eigen::Index>(b) * batch.Dim(), batch.lengths[b], batch.Dim(),
          Eigen::OuterStride<>(static_cast<Eigen::Index>(batch.batch) * batch.Dim())};
}

double SequenceAccuracy(const Model& model, const ToneSet& set) {
  RunContext ctx;
  const SeqBatch logits = model.Forward(set.features, ctx);
  int correct = 0;
  for (int b = 0; b < logits.batch; ++b) correct += decode::CtcGreedyDecode(SequenceView(logits, b)).labels == set.labels[b];
  return static_cast<double>(correct) / logits.batch;
}

struct TrainOptions {
  int max_steps = 0;
  int batch = 32;
  int eval_every = 0;             // 0: no evaluation (and no early stop)
  double target_accuracy = 1.0;   // stop once reached at an evaluation
  int num_threads = 2;
};

struct TrainResult {
  Model model;
  std::vector<double> losses;  // mean CTC loss per sequence, per step
  double accuracy = 0;         // at the last evaluation
};

TrainResult Train(const TrainOptions& opts, const ToneSet* held_out) {
  TrainResult r{Model(kArchitecture, 7), {}, 0};
  Adam adamw(r.model.Params(), AdamOptions::AdamW(1e-2f, 1e-2f));
  // Two shards whatever the thread count: the result depends on shards only.
  ParallelGradient pg(r.model, {.num_threads = opts.num_threads, .num_shards = 2});
  Grads grads(r.model.Params());
  Rng data_rng(1);
  for (int step = 0; step < opts.max_steps; ++step) {
    const ToneSet train = MakeToneSet(opts.batch, data_rng);
    const ShardLoss loss = [&](const SeqBatch& out, int first, SeqBatch& grad_out) {
      const std::vector<std::vector<int>> targets(train.labels.begin() + first,
                                                  train.labels.begin() + first + out.batch);
      CtcResult c = CtcLoss(out, targets, {.reduction = CtcOptions::Reduction::kSum});
      grad_out = std::move(c.grad);
      return LossSum{c.loss, static_cast<double>(out.batch)};
    };
    r.losses.push_back(pg.Compute(train.features, loss, false, step, grads));
    ClipGradNorm(grads, 5.0);
    adamw.Step(r.model.Params(), grads);
    if (held_out != nullptr && opts.eval_every > 0 && (step + 1) % opts.eval_every == 0) {
      r.accuracy = SequenceAccuracy(r.model, *held_out);
      if (r.accuracy >= opts.target_accuracy) break;
    }
  }
  return r;
}

double MeanOf(const std::vector<double>& v, std::size_t first, std::size_t count) {
  double s = 0;
  for (std::size_t i = first; i < first + count; ++i) s += v[i];
  return s / static_cast<double>(count);
}

}  // namespace

TEST_CASE("CTC learning: a causal LSTM + attention model transcribes tone sequences to >= 99%") {
  Rng test_rng(2);  // held-out utterances: another seed than training
  const ToneSet held_out = MakeToneSet(400, test_rng);
  const auto start = std::chrono::steady_clock::now();
  TrainResult r = Train({.max_steps = 600, .eval_every = 25, .target_accuracy = 0.995}, &held_out);
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  const double first_loss = MeanOf(r.losses, 0, 5);
  const double last_loss = MeanOf(r.losses, r.losses.size() - 5, 5);
  MESSAGE("tone CTC (causal): held-out sequence accuracy " << r.accuracy << " after " << r.losses.size()
          << " steps in " << seconds << " s; loss " << first_loss << " -> " << last_loss);
  CHECK(r.accuracy >= 0.99);
  CHECK(last_loss < 0.05 * first_loss);

  // Streaming the trained model frame by frame transcribes like the whole batch.
  {
    REQUIRE(r.model.IsCausal());
    RunContext ctx;
    const SeqBatch logits = r.model.Forward(held_out.features, ctx);
    ModelStream stream = r.model.CreateStream();
    decode::CtcGreedyDecoder online(r.model.OutputDim());
    for (int b = 0; b < 12; ++b) {
      stream.Reset();
      online.Reset();
      float max_diff = 0;
      for (int t = 0; t < held_out.features.lengths[b]; ++t) {
        const float* out = stream.Step(held_out.features.Frame(t, b).data());
        online.AcceptFrame(out);
        for (int c = 0; c < r.model.OutputDim(); ++c) max_diff = std::max(max_diff, std::abs(out[c] - logits.Frame(t, b)(c)));
      }
      const decode::CtcGreedyResult batch = decode::CtcGreedyDecode(SequenceView(logits, b));
      CAPTURE(b);
      CHECK(max_diff < 1e-4f);
      CHECK(online.Result().labels == batch.labels);
      CHECK(online.Result().first_frame == batch.first_frame);
      CHECK(online.Result().last_frame == batch.last_frame);
      CHECK(online.Result().labels == held_out.labels[b]);
    }
  }
}

TEST_CASE("CTC learning is deterministic: same seed, same losses and weights bit for bit") {
  // One thread or two: with the shard count fixed the sums happen in the same order.
  const TrainResult a = Train({.max_steps = 8, .num_threads = 2}, nullptr);
  const TrainResult b = Train({.max_steps = 8, .num_threads = 2}, nullptr);
  const TrainResult c = Train({.max_steps = 8, .num_threads = 1}, nullptr);
  CHECK(a.losses.back() == b.losses.back());
  CHECK(a.losses == b.losses);
  CHECK(a.losses == c.losses);
  CHECK(a.losses.back() < a.losses.front());  // it trained (else equal losses prove nothing)
  for (int i = 0; i < a.model.Params().Size(); ++i) {
    CAPTURE(a.model.Params()[i].name);
    CHECK(a.model.Params()[i].value.cwiseEqual(b.model.Params()[i].value).all());
    CHECK(a.model.Params()[i].value.cwiseEqual(c.model.Params()[i].value).all());
  }
}

}  // namespace auris::nn
