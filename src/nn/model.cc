#include "auris/nn/model.h"

#include <nlohmann/json.hpp>
#include <algorithm>
#include <array>
#include <set>

#include "auris/core/check.h"
#include "auris/core/json_number.h"
#include "auris/nn/activation.h"
#include "auris/nn/attention.h"
#include "auris/nn/attention_pooling.h"
#include "auris/nn/dropout.h"
#include "auris/nn/ensemble.h"
#include "auris/nn/layer_norm.h"
#include "auris/nn/linear.h"
#include "auris/nn/lstm.h"

namespace auris::nn {
namespace {

using Json = nlohmann::ordered_json;

// Bounds that keep every width and size far from int overflow, and a corrupt
// description from asking for absurd memory or recursing without end.
constexpr int kMaxWidth = 1 << 20;
constexpr int kMaxLstmLayers = 256;
constexpr int kMaxNesting = 32;
constexpr int kMaxStack = 64;

// A stacking model's cache: the layers' cache and the input's shape.
struct StackCache final : LayerCache {
  std::unique_ptr<LayerCache> layers;
  int in_steps = 0;
  std::vector<int> in_lengths;
};

// Groups of `n` frames as one frame each (Model's "stack"); a final partial
// group is dropped.
SeqBatch StackFrames(const SeqBatch& in, int n) {
  SeqBatch out;
  out.steps = in.steps / n;
  out.batch = in.batch;
  for (int len : in.lengths) out.lengths.push_back(len / n);
  const int d = in.Dim();
  out.data.resize(static_cast<Eigen::Index>(out.steps) * out.batch, static_cast<Eigen::Index>(d) * n);
  for (int t = 0; t < out.steps; ++t)
    for (int k = 0; k < n; ++k)
      out.Step(t).middleCols(static_cast<Eigen::Index>(k) * d, d) = in.Step(t * n + k);
  out.ZeroPadding();
  return out;
}

// The inverse for gradients: dropped frames get zero.
SeqBatch UnstackFrames(const SeqBatch& grad, int n, int steps, const std::vector<int>& lengths) {
  SeqBatch out;
  out.steps = steps;
  out.batch = grad.batch;
  out.lengths = lengths;
  const int d = grad.Dim() / n;
  out.data = Matrix::Zero(static_cast<Eigen::Index>(steps) * grad.batch, d);
  for (int t = 0; t < grad.steps; ++t)
    for (int k = 0; k < n; ++k) out.Step(t * n + k) = grad.Step(t).middleCols(static_cast<Eigen::Index>(k) * d, d);
  out.ZeroPadding();
  return out;
}

int AtMost(int value, int limit, const char* key) {
  if (value > limit) throw MakeError("'", key, "' is ", value, ", above the limit ", limit);
  return value;
}

// Reads the fields of one layer object, filling defaults back into it (so the
// normalised description is complete) and rejecting unknown keys.
class Fields {
 public:
  Fields(Json& obj, std::string where) : obj_(obj), where_(std::move(where)) {}

  template <typename T>
  T Get(const std::string& key, const T& fallback) {
    used_.insert(key);
    if (!obj_.contains(key)) {
      obj_[key] = fallback;
      return fallback;
    }
    return Convert<T>(key);
  }
  template <typename T>
  T Require(const std::string& key) {
    used_.insert(key);
    if (!obj_.contains(key)) throw MakeError(where_, ": missing field '", key, "'");
    return Convert<T>(key);
  }
  void RejectUnknown() const {
    for (const auto& [key, value] : obj_.items())
      if (!used_.count(key)) throw MakeError(where_, ": unknown field '", key, "'");
  }

 private:
  template <typename T>
  T Convert(const std::string& key) const {
    try {
      if constexpr (std::is_arithmetic_v<T> && !std::is_same_v<T, bool>) return JsonNumber<T>(obj_.at(key));
      else return obj_.at(key).get<T>();
    } catch (const Error& e) {
      throw MakeError(where_, ": field '", key, "' has the wrong type or range (", e.what(), ")");
    } catch (const nlohmann::json::exception&) {
      throw MakeError(where_, ": field '", key, "' has the wrong type (", obj_.at(key).dump(), ")");
    }
  }
  Json& obj_;
  std::string where_;
  std::set<std::string> used_;
};

struct Builder {
  ParamStore& params;
  Rng& rng;
  bool pooled = false;
  int depth = 0;

  std::unique_ptr<Sequential> BuildList(Json& list, int input_dim, const std::string& prefix,
                                        const std::string& where) {
    if (!list.is_array()) throw MakeError(where, ": 'layers' must be an array");
    if (++depth > kMaxNesting) throw MakeError(where, ": layers nested more than ", kMaxNesting, " deep");
    auto seq = std::make_unique<Sequential>(input_dim);
    for (std::size_t i = 0; i < list.size(); ++i) {
      const std::string name = where + " layer " + std::to_string(i);
      if (!list[i].is_object()) throw MakeError(name, ": must be an object");
      seq->Append(BuildLayer(list[i], seq->OutputDim(), prefix + std::to_string(i) + ".", name));
    }
    --depth;
    return seq;
  }

  // {"type": "ensemble", "members": [{"layers": [...]}, ...]}: every member
  // starts from the same pooling state and must end in the same one.
  std::unique_ptr<Layer> BuildEnsemble(Json& obj, Fields& fields, int in, const std::string& prefix,
                                       const std::string& at) {
    if (!obj.contains("members") || !obj["members"].is_array() || obj["members"].empty())
      throw MakeError("'members' must be a non-empty array");
    fields.Get("members", Json::array());
    const bool pooled_before = pooled;
    bool pooled_after = false;
    std::vector<std::unique_ptr<Sequential>> members;
    for (std::size_t k = 0; k < obj["members"].size(); ++k) {
      Json& m = obj["members"][k];
      const std::string name = at + " member " + std::to_string(k);
      if (!m.is_object() || !m.contains("layers") || !m["layers"].is_array() || m["layers"].empty())
        throw MakeError(name, ": must be an object with a non-empty 'layers' array");
      Fields mf(m, name);
      mf.Get("layers", Json::array());
      mf.RejectUnknown();
      pooled = pooled_before;
      members.push_back(BuildList(m["layers"], in, prefix + "members." + std::to_string(k) + ".layers.", name));
      if (k == 0) pooled_after = pooled;
      else if (pooled != pooled_after) throw MakeError(name, ": pools the sequence and member 0 does not, or the reverse");
    }
    pooled = pooled_after;
    return std::make_unique<Ensemble>(std::move(members));
  }

  std::unique_ptr<Layer> BuildLayer(Json& obj, int in, const std::string& prefix,
                                    const std::string& where) {
    if (!obj.contains("type") || !obj["type"].is_string())
      throw MakeError(where, ": missing string field 'type'");
    const std::string type = obj["type"];
    const std::string at = where + " (" + type + ")";
    Fields fields(obj, at);
    fields.Get<std::string>("type", type);
    std::unique_ptr<Layer> layer;
    try {
      if (type == "linear") {
        LinearOptions o{.in = in, .out = AtMost(fields.Require<int>("out"), kMaxWidth, "out"), .bias = fields.Get("bias", true)};
        layer = std::make_unique<Linear>(params, prefix, o, rng);
      } else if (type == "relu" || type == "gelu" || type == "tanh") {
        layer = std::make_unique<Activation>(ParseActivation(type), in);
      } else if (type == "dropout") {
        layer = std::make_unique<Dropout>(fields.Get("p", 0.1f), in);
      } else if (type == "layernorm") {
        layer = std::make_unique<LayerNorm>(params, prefix, in, fields.Get("eps", 1e-5f));
      } else if (type == "lstm") {
        LstmOptions o{.input = in,
                      .hidden = AtMost(fields.Require<int>("hidden"), kMaxWidth, "hidden"),
                      .num_layers = AtMost(fields.Get("num_layers", 1), kMaxLstmLayers, "num_layers"),
                      .bidirectional = fields.Get("bidirectional", false),
                      .dropout = fields.Get("dropout", 0.0f)};
        layer = std::make_unique<Lstm>(params, prefix, o, rng);
      } else if (type == "attention") {
        AttentionOptions o;
        o.embed_dim = fields.Get("dim", in);
        if (o.embed_dim != in)
          throw MakeError("'dim' is ", o.embed_dim, " but the previous layer gives width ", in);
        o.num_heads = fields.Get("heads", o.num_heads);
        o.causal = fields.Get("causal", o.causal);
        o.window_frames = AtMost(fields.Get("window", o.window_frames), kMaxWidth, "window");
        o.positional = fields.Get("positional", o.positional);
        layer = std::make_unique<MultiHeadAttention>(params, prefix, o, rng);
      } else if (type == "attention_pool") {
        if (pooled) throw MakeError("the sequence is already pooled by an earlier attention_pool");
        AttentionPoolingOptions o{.embed_dim = in, .num_queries = fields.Get("queries", 1)};
        if (std::int64_t{o.num_queries} * in > kMaxWidth)
          throw MakeError("'queries' ", o.num_queries, " x width ", in, " is above the limit ", kMaxWidth);
        layer = std::make_unique<AttentionPooling>(params, prefix, o, rng);
        pooled = true;
      } else if (type == "residual") {
        if (!obj.contains("layers")) throw MakeError("missing field 'layers'");
        fields.Get("layers", Json::array());
        layer = std::make_unique<Residual>(BuildList(obj["layers"], in, prefix + "layers.", at));
      } else if (type == "ensemble") {
        layer = BuildEnsemble(obj, fields, in, prefix, at);
      } else {
        throw MakeError("unknown layer type (expected linear, relu, gelu, tanh, dropout, layernorm, "
                        "lstm, attention, attention_pool, residual, ensemble)");
      }
    } catch (const Error& e) {
      const std::string msg = e.what();
      if (msg.rfind(where, 0) == 0) throw;  // already names the layer
      throw MakeError(at, ": ", msg);
    }
    fields.RejectUnknown();
    return layer;
  }
};

}  // namespace

Model::Model(const std::string& architecture_json, std::uint64_t seed, std::int64_t max_params) {
  Json arch;
  try {
    arch = Json::parse(architecture_json);
  } catch (const nlohmann::json::exception& e) {
    throw MakeError("model architecture: invalid JSON: ", e.what());
  }
  if (!arch.is_object()) throw MakeError("model architecture: must be a JSON object");
  Fields top(arch, "model architecture");
  input_dim_ = top.Require<int>("input_dim");
  if (input_dim_ <= 0 || input_dim_ > kMaxWidth)
    throw MakeError("model architecture: 'input_dim' must be in 1..", kMaxWidth, ", got ", input_dim_);
  // Only written when used, so the descriptions of other models stay as they were.
  if (arch.contains("stack")) {
    stack_ = top.Require<int>("stack");
    if (stack_ < 1 || stack_ > kMaxStack)
      throw MakeError("model architecture: 'stack' must be in 1..", kMaxStack, ", got ", stack_);
    if (static_cast<std::int64_t>(stack_) * input_dim_ > kMaxWidth)
      throw MakeError("model architecture: 'stack' ", stack_, " x 'input_dim' ", input_dim_, " is above the limit ",
                      kMaxWidth);
  }
  top.Require<Json>("layers");
  top.RejectUnknown();
  Rng rng(seed);
  params_.SetMaxScalars(max_params);
  Builder builder{params_, rng};
  layers_ = builder.BuildList(arch["layers"], input_dim_ * stack_, "layers.", "model architecture");
  pooled_ = builder.pooled;
  architecture_ = arch.dump();
}

SeqBatch Model::Forward(const SeqBatch& in, RunContext& ctx, std::unique_ptr<LayerCache>* cache) const {
  if (in.Dim() != InputDim())
    throw MakeError("model input has width ", in.Dim(), ", the model expects ", InputDim());
  if (stack_ == 1) return layers_->Forward(in, params_, ctx, cache);
  if (cache == nullptr) return layers_->Forward(StackFrames(in, stack_), params_, ctx, nullptr);
  auto c = std::make_unique<StackCache>();
  c->in_steps = in.steps;
  c->in_lengths = in.lengths;
  SeqBatch out = layers_->Forward(StackFrames(in, stack_), params_, ctx, &c->layers);
  *cache = std::move(c);
  return out;
}

SeqBatch Model::Backward(const SeqBatch& grad_out, const LayerCache& cache, Grads& grads) const {
  AURIS_CHECK_EQ(static_cast<int>(grads.g.size()), params_.Size()) << "Grads of another model";
  if (stack_ == 1) return layers_->Backward(grad_out, params_, cache, grads);
  const auto& c = static_cast<const StackCache&>(cache);
  return UnstackFrames(layers_->Backward(grad_out, params_, *c.layers, grads), stack_, c.in_steps, c.in_lengths);
}

const LayerCache& Model::LayersCache(const LayerCache& model_cache) const {
  return stack_ == 1 ? model_cache : *static_cast<const StackCache&>(model_cache).layers;
}

const LayerCache& Model::LayerCacheOf(const LayerCache& model_cache, int i) const {
  AURIS_CHECK(i >= 0 && i < layers_->NumLayers()) << "layer " << i << " of " << layers_->NumLayers();
  return *static_cast<const SequentialCache&>(LayersCache(model_cache)).caches[i];
}

ModelStream Model::CreateStream() const { return ModelStream(*this); }

ModelStream::ModelStream(const Model& model)
    : model_(&model),
      state_(model.Layers().NewStepState(model.Params())),
      group_(model.Stack() > 1 ? static_cast<std::size_t>(model.Stack()) * model.InputDim() : 0, 0.0f),
      out_(model.OutputDim(), 0.0f) {}

const float* ModelStream::Gather(const float* frame) {
  const int n = model_->Stack();
  const long long k = frames_++ % n;
  if (n == 1) return frame;
  const std::size_t d = static_cast<std::size_t>(model_->InputDim());
  std::copy(frame, frame + d, group_.begin() + static_cast<std::ptrdiff_t>(k * d));
  return k == n - 1 ? group_.data() : nullptr;
}

const float* ModelStream::Step(const float* frame) {
  const float* in = Gather(frame);
  if (in == nullptr) return nullptr;
  model_->Layers().Step(in, model_->Params(), *state_, out_.data());
  return out_.data();
}

void ModelStream::StepMany(std::span<ModelStream* const> streams, const float* frame) {
  std::array<const float*, Layer::kMaxStepMany> same;
  same.fill(frame);
  for (std::size_t at = 0; at < streams.size(); at += same.size()) {
    const std::size_t m = std::min(same.size(), streams.size() - at);
    StepMany(streams.subspan(at, m), std::span<const float* const>(same.data(), m));
  }
}

void ModelStream::StepMany(std::span<ModelStream* const> streams, std::span<const float* const> frames) {
  AURIS_CHECK_EQ(streams.size(), frames.size());
  constexpr std::size_t kMax = Layer::kMaxStepMany;
  std::array<const float*, kMax> in;
  std::array<StepState*, kMax> states;
  std::array<float*, kMax> out;
  for (std::size_t at = 0; at < streams.size(); at += kMax) {
    const std::size_t m = std::min(kMax, streams.size() - at);
    const Model* model = streams[at]->model_;
    std::size_t n = 0;  // the streams whose group is complete
    for (std::size_t i = 0; i < m; ++i) {
      ModelStream& s = *streams[at + i];
      AURIS_CHECK(s.model_ == model);
      const float* x = s.Gather(frames[at + i]);
      if (x == nullptr) continue;
      in[n] = x;
      states[n] = s.state_.get();
      out[n] = s.out_.data();
      ++n;
    }
    if (n > 0) model->Layers().StepMany({in.data(), n}, model->Params(), {states.data(), n}, {out.data(), n});
  }
}

void ModelStream::Reset() {
  state_->Reset();
  std::fill(out_.begin(), out_.end(), 0.0f);
  frames_ = 0;
}

}  // namespace auris::nn
