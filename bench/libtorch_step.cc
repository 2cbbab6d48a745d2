// Streaming step of a shipped CTC model, auris vs libtorch's C++ API, same
// weights, 1 thread, one 10 ms frame per call:
//   libtorch_step MODEL.safetensors [frames]
// The model files store PyTorch's parameter names and layouts (LSTM
// weight_ih_l0..., attention in_proj_weight / out_proj), so libtorch runs the
// same network: torch::nn::LSTM with carried state, LayerNorm, causal
// multi-head attention over a cache of the last `window` keys and values
// with ALiBi biases (auris's definition: slope_h = 2^(-8 (h+1) / heads),
// score -= slope_h * age), the residual sum and the output layer, under
// NoGradGuard. Both run the same random frames; their outputs must agree
// (max |diff| printed, exit 1 above 1e-3) before the times mean anything.
// Supports the CTC models' architecture: lstm, residual(layernorm,
// attention), dropout, linear (plus a boundary head's extra outputs).
#include <torch/torch.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "auris/core/error.h"
#include "auris/core/rng.h"
#include "auris/io/safetensors.h"
#include "auris/modelfile/model_file.h"

using namespace auris;
using Json = nlohmann::json;
using Clock = std::chrono::steady_clock;

namespace {

std::map<std::string, torch::Tensor> Tensors(const io::SafetensorsFile& file) {
  std::map<std::string, torch::Tensor> out;
  for (const NamedTensor& t : file.tensors)
    out[t.name] = torch::from_blob(const_cast<float*>(t.data.data()), t.shape, torch::kFloat32).clone();
  return out;
}

// One layer of the step network: maps [1, in] to [1, out], carrying state.
struct StepLayer {
  virtual ~StepLayer() = default;
  virtual torch::Tensor Step(const torch::Tensor& x) = 0;
};

struct LstmLayer : StepLayer {
  torch::nn::LSTM lstm{nullptr};
  std::tuple<torch::Tensor, torch::Tensor> state;
  LstmLayer(int in, int hidden, int layers, const std::string& prefix, std::map<std::string, torch::Tensor>& w)
      : lstm(torch::nn::LSTMOptions(in, hidden).num_layers(layers)) {
    for (auto& p : lstm->named_parameters()) p.value().set_data(w.at(prefix + p.key()));
    state = {torch::zeros({layers, 1, hidden}), torch::zeros({layers, 1, hidden})};
  }
  torch::Tensor Step(const torch::Tensor& x) override {
    auto [y, s] = lstm->forward(x.unsqueeze(0), state);  // [1 step, 1 batch, in]
    state = s;
    return y[0];
  }
};

struct Linear : StepLayer {
  torch::Tensor weight, bias;
  torch::Tensor Step(const torch::Tensor& x) override { return torch::addmm(bias, x, weight.t()); }
};

// x + attention(layernorm(x)), causal, over the last `window` frames: a ring
// buffer of keys and values (slot = frame mod window), as auris keeps it.
struct ResidualAttention : StepLayer {
  torch::Tensor ln_w, ln_b, in_w, in_b, out_w, out_b, slopes;
  int dim = 0, heads = 0, window = 0;
  torch::Tensor keys, values;  // [heads, window, d]
  std::int64_t frames = 0;
  void Init() {
    keys = torch::zeros({heads, window, dim / heads});
    values = torch::zeros({heads, window, dim / heads});
  }
  torch::Tensor Step(const torch::Tensor& x) override {
    const int d = dim / heads;
    const torch::Tensor n = torch::layer_norm(x, {dim}, ln_w, ln_b, 1e-5);
    const torch::Tensor qkv = torch::addmm(in_b, n, in_w.t())[0];
    const std::int64_t slot = frames % window;
    keys.select(1, slot).copy_(qkv.slice(0, dim, 2 * dim).view({heads, d}));
    values.select(1, slot).copy_(qkv.slice(0, 2 * dim, 3 * dim).view({heads, d}));
    ++frames;
    const std::int64_t len = std::min<std::int64_t>(frames, window);
    // Age of each slot: 0 for the current frame.
    const torch::Tensor age = torch::remainder(slot - torch::arange(len, torch::kFloat32) + window, window);
    const torch::Tensor q = qkv.slice(0, 0, dim).view({heads, 1, d});
    torch::Tensor scores = torch::matmul(q, keys.narrow(1, 0, len).transpose(1, 2)) / std::sqrt(static_cast<float>(d));
    scores = scores - slopes.view({heads, 1, 1}) * age.view({1, 1, len});
    const torch::Tensor context = torch::matmul(torch::softmax(scores, -1), values.narrow(1, 0, len)).reshape({1, dim});
    return x + torch::addmm(out_b, context, out_w.t());
  }
};

std::vector<std::unique_ptr<StepLayer>> Build(const Json& arch, std::map<std::string, torch::Tensor>& w) {
  std::vector<std::unique_ptr<StepLayer>> layers;
  int in = arch.at("input_dim").get<int>() * arch.value("stack", 1);  // a stacking model's step input
  for (std::size_t i = 0; i < arch.at("layers").size(); ++i) {
    const Json& l = arch["layers"][i];
    const std::string type = l.at("type"), prefix = "layers." + std::to_string(i) + ".";
    if (type == "lstm") {
      if (l.value("bidirectional", false)) throw MakeError("a bidirectional LSTM cannot stream");
      layers.push_back(std::make_unique<LstmLayer>(in, l.at("hidden"), l.value("num_layers", 1), prefix, w));
      in = l.at("hidden");
    } else if (type == "linear") {
      auto lin = std::make_unique<Linear>();
      lin->weight = w.at(prefix + "weight"), lin->bias = w.at(prefix + "bias");
      in = static_cast<int>(lin->weight.size(0));
      layers.push_back(std::move(lin));
    } else if (type == "residual") {
      const Json& inner = l.at("layers");
      if (inner.size() != 2 || inner[0].at("type") != "layernorm" || inner[1].at("type") != "attention")
        throw MakeError("residual: only layernorm + attention is supported");
      const Json& a = inner[1];
      if (a.value("positional", "none") != "alibi" || !a.value("causal", false))
        throw MakeError("attention: only causal ALiBi attention is supported");
      auto r = std::make_unique<ResidualAttention>();
      r->dim = in, r->heads = a.value("heads", 4), r->window = a.at("window");
      r->ln_w = w.at(prefix + "layers.0.weight"), r->ln_b = w.at(prefix + "layers.0.bias");
      r->in_w = w.at(prefix + "layers.1.in_proj_weight"), r->in_b = w.at(prefix + "layers.1.in_proj_bias");
      r->out_w = w.at(prefix + "layers.1.out_proj.weight"), r->out_b = w.at(prefix + "layers.1.out_proj.bias");
      r->slopes = torch::empty({r->heads});
      for (int h = 0; h < r->heads; ++h) r->slopes[h] = std::exp2(-8.0 * (h + 1) / r->heads);
      r->Init();
      layers.push_back(std::move(r));
    } else if (type != "dropout") {
      throw MakeError("layer type '", type, "' is not supported by this benchmark");
    }
  }
  return layers;
}

double Seconds(Clock::time_point a, Clock::time_point b) { return std::chrono::duration<double>(b - a).count(); }

}  // namespace

int main(int argc, char** argv) try {
  if (argc < 2) {
    std::fprintf(stderr, "usage: libtorch_step MODEL.safetensors [network steps, default 3000]\n");
    return 2;
  }
  const std::string path = argv[1];
  const int frames = argc > 2 ? std::stoi(argv[2]) : 3000;  // network steps
  at::set_num_threads(1);
  torch::NoGradGuard no_grad;

  const io::SafetensorsFile file = io::ReadSafetensors(path);
  std::map<std::string, torch::Tensor> weights = Tensors(file);
  std::vector<std::unique_ptr<StepLayer>> net = Build(Json::parse(file.metadata.at("architecture")), weights);
  modelfile::LoadedModel loaded = modelfile::LoadModel(path);
  nn::ModelStream stream = loaded.model->CreateStream();
  // One network step reads `stack` frames: the auris stream gathers them,
  // libtorch gets them side by side (step t's frames are x[t * in, (t + 1) * in)).
  const int stack = loaded.model->Stack();
  const int in = static_cast<int>(loaded.model->InputDim()) * stack, out = stream.OutputDim();

  Rng rng(7);
  std::vector<float> x(static_cast<std::size_t>(frames) * in);
  for (float& v : x) v = static_cast<float>(rng.Gaussian());
  const auto auris_step = [&](int t) {
    const float* y = nullptr;
    for (int k = 0; k < stack; ++k) y = stream.Step(&x[static_cast<std::size_t>(t) * in + static_cast<std::size_t>(k) * (in / stack)]);
    return y;
  };

  // Same outputs first, over the first 300 steps (past the attention window).
  double max_diff = 0;
  for (int t = 0; t < std::min(frames, 300); ++t) {
    torch::Tensor y = torch::from_blob(&x[static_cast<std::size_t>(t) * in], {1, in}).clone();
    for (auto& layer : net) y = layer->Step(y);
    const float* a = auris_step(t);
    const float* b = y.contiguous().data_ptr<float>();
    for (int j = 0; j < out; ++j) max_diff = std::max(max_diff, static_cast<double>(std::fabs(a[j] - b[j])));
  }
  std::printf("model %s\nmax_abs_diff %.3g\n", path.c_str(), max_diff);
  if (!(max_diff <= 1e-3)) {
    std::fprintf(stderr, "libtorch_step: outputs differ by %g: not the same network\n", max_diff);
    return 1;
  }

  float sink = 0;
  auto start = Clock::now();
  for (int t = 0; t < frames; ++t) sink += auris_step(t)[0];
  const double auris_us = Seconds(start, Clock::now()) * 1e6 / frames;
  start = Clock::now();
  for (int t = 0; t < frames; ++t) {
    torch::Tensor y = torch::from_blob(&x[static_cast<std::size_t>(t) * in], {1, in});
    for (auto& layer : net) y = layer->Step(y);
    sink += y[0][0].item<float>();
  }
  const double torch_us = Seconds(start, Clock::now()) * 1e6 / frames;
  std::printf("auris_step_us %.2f\nlibtorch_step_us %.2f\nlibtorch_over_auris %.2f\nchecksum %.3f\n", auris_us,
              torch_us, torch_us / auris_us, sink);
  return 0;
} catch (const std::exception& e) {
  std::fprintf(stderr, "libtorch_step: %s\n", e.what());
  return 1;
}
