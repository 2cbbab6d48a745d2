// nn benchmark for the issue #3 reference classifier: 40-dim input, 2-layer
// LSTM of 128, one 4-head causal attention layer of width 128 with a
// 100-frame window, attention pooling, 10 classes.
//   nn_bench step [steps] [MODEL.safetensors]
//                   → µs per network step, wall and thread CPU time, 1 thread
//                     (streaming); the reference classifier, or a model file's
//                     network (a stacking model's step reads "stack" frames);
//                     AURIS_BENCH_INT8=1: lstm and linear weights as int8
//   nn_bench train  → frames/s for forward + backward + AdamW at batch 32, 2 threads
// Prints one "key value" line per figure; bench/run_nn_bench.py runs it next
// to the same computation in PyTorch and prints the ratios.
#include <time.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "auris/core/rng.h"
#include "auris/modelfile/model_file.h"
#include "auris/nn/cross_entropy.h"
#include "auris/nn/model.h"
#include "auris/nn/optimizer.h"
#include "auris/nn/parallel_gradient.h"

using namespace auris;
using Clock = std::chrono::steady_clock;

namespace {

const char* kArch = R"({"input_dim": 40, "layers": [
  {"type": "lstm", "hidden": 128, "num_layers": 2},
  {"type": "attention", "heads": 4, "causal": true, "window": 100},
  {"type": "attention_pool"},
  {"type": "linear", "out": 10}]})";

double ThreadCpuSeconds() {
  timespec ts;
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return ts.tv_sec + 1e-9 * ts.tv_nsec;
}

double Seconds(Clock::time_point a, Clock::time_point b) {
  return std::chrono::duration<double>(b - a).count();
}

void BenchStep(int steps, const std::string& path) {
  if (steps < 1) throw std::invalid_argument("step: the number of steps must be at least 1");
  modelfile::LoadedModel loaded;
  if (path.empty())
    loaded.model = std::make_unique<nn::Model>(kArch, 1);
  else
    loaded = modelfile::LoadModel(path);
  const char* int8 = std::getenv("AURIS_BENCH_INT8");
  loaded.model->Params().SetInt8Step(int8 != nullptr && std::strcmp(int8, "1") == 0);
  const nn::Model& model = *loaded.model;
  nn::ModelStream stream = model.CreateStream();
  const int stack = model.Stack();
  const std::size_t in = static_cast<std::size_t>(model.InputDim());
  const std::size_t frames = static_cast<std::size_t>(steps) * stack;
  Rng rng(2);
  std::vector<float> x(frames * in);
  for (auto& v : x) v = static_cast<float>(rng.Gaussian());
  // One network step: `stack` frames (the stream gathers them, the last runs the layers).
  const auto step = [&](int t) {
    for (int k = 0; k < stack; ++k) stream.Step(&x[(static_cast<std::size_t>(t) * stack + k) % frames * in]);
    return stream.Output()[0];
  };
  float sink = 0;
  for (int t = 0; t < 200; ++t) sink += step(t);  // warm-up
  stream.Reset();
  const auto start = Clock::now();
  const double cpu0 = ThreadCpuSeconds();
  for (int t = 0; t < steps; ++t) sink += step(t);
  const double us = Seconds(start, Clock::now()) * 1e6 / steps;
  const double cpu_us = (ThreadCpuSeconds() - cpu0) * 1e6 / steps;  // other load does not count
  // Real time per step: `stack` frames of 10 ms.
  std::printf("step_us %.3f\nstep_cpu_us %.3f\nframes_per_step %d\nstep_rtf %.5f\nparams %lld\nchecksum %.3f\n", us,
              cpu_us, stack, us / (10000.0 * stack), static_cast<long long>(model.NumParams()), sink);
}

void BenchTrain(int iterations, int threads) {
  nn::Model model(kArch, 1);
  const int batch = 32, steps = 100;
  std::vector<Matrix> seqs;
  std::vector<int> labels;
  Rng rng(3);
  long long frames = 0;
  for (int b = 0; b < batch; ++b) {
    const int len = 50 + (b * 37) % 51;  // same lengths as bench/run_nn_bench.py
    Matrix m(len, 40);
    for (Eigen::Index i = 0; i < m.size(); ++i) m.data()[i] = static_cast<float>(rng.Gaussian());
    seqs.push_back(m);
    labels.push_back(b % 10);
    frames += len;
  }
  const nn::SeqBatch in = nn::SeqBatch::FromSequences(seqs);
  (void)steps;
  nn::ParallelGradientOptions popts;
  popts.num_threads = threads;
  nn::ParallelGradient pg(model, popts);
  nn::Adam adam(model.Params(), nn::AdamOptions::AdamW(1e-3f, 1e-2f));
  nn::Grads grads(model.Params());
  auto loss = [&](const nn::SeqBatch& out, int first, nn::SeqBatch& grad) {
    std::vector<int> t(labels.begin() + first, labels.begin() + first + out.batch);
    nn::CrossEntropyOptions o;
    const nn::SeqLossResult r = nn::CrossEntropy(out, t, o);
    grad.data = r.grad.data * static_cast<float>(out.batch);  // d(sum)/d(out)
    return nn::LossSum{r.loss * out.batch, static_cast<double>(out.batch)};
  };
  double l = 0;
  for (int i = 0; i < 2; ++i) {  // warm-up
    l = pg.Compute(in, loss, false, 0, grads);
    adam.Step(model.Params(), grads);
  }
  const auto start = Clock::now();
  for (int i = 0; i < iterations; ++i) {
    l = pg.Compute(in, loss, false, 0, grads);
    adam.Step(model.Params(), grads);
  }
  const double s = Seconds(start, Clock::now());
  std::printf("train_frames_per_s %.1f\ntrain_step_ms %.2f\nthreads %d\nloss %.4f\n",
              frames * iterations / s, 1000 * s / iterations, threads, l);
}

}  // namespace

int main(int argc, char** argv) try {
  const std::string what = argc > 1 ? argv[1] : "";
  if (what == "step") {
    BenchStep(argc > 2 ? std::atoi(argv[2]) : 5000, argc > 3 ? argv[3] : "");
  } else if (what == "train") {
    BenchTrain(argc > 2 ? std::atoi(argv[2]) : 10, argc > 3 ? std::atoi(argv[3]) : 2);
  } else {
    std::fprintf(stderr, "usage: nn_bench step [steps] [MODEL.safetensors] | train [iterations] [threads]\n");
    return 2;
  }
  return 0;
} catch (const std::exception& e) {  // e.g. a bad model file
  std::fprintf(stderr, "nn_bench: %s\n", e.what());
  return 1;
}
