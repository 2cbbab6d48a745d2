// Model: a stack of layers built from a JSON architecture description, owning
// its parameters (PyTorch state_dict names), plus ModelStream, the per-stream
// state for frame-by-frame inference of causal models.
//
// Architecture schema (unknown keys are errors, so typos do not pass):
//   {"input_dim": 40,
//    "stack": 1,              (optional) frames read per model step, see below
//    "layers": [ <layer>, ... ]}
// "stack": N > 1 makes a low-frame-rate model: each step reads N consecutive
// input frames (their concatenation, oldest first, N * input_dim wide) and
// emits one output, so the layers run N times less often and an output frame
// spans N input frames; a final group of fewer than N frames is dropped.
// <layer> is an object with "type" and these optional fields (defaults shown):
//   {"type": "linear", "out": <required>, "bias": true}
//   {"type": "relu"} | {"type": "gelu"} | {"type": "tanh"}
//   {"type": "dropout", "p": 0.1}
//   {"type": "layernorm", "eps": 1e-5}
//   {"type": "lstm", "hidden": <required>, "num_layers": 1, "bidirectional": false,
//    "dropout": 0.0}
//   {"type": "attention", "heads": 4, "dim": <input width; if given must equal it>,
//    "causal": true, "window": 100, "positional": "none"}   (see attention.h)
//   {"type": "attention_pool", "queries": 1}   -> one vector per sequence (steps == 1)
//   {"type": "residual", "layers": [ <layer>, ... ]}   y = x + f(x), f keeps the width
//   {"type": "ensemble", "members": [{"layers": [ <layer>, ... ]}, ...]}
//       y = mean of the members' outputs (ensemble.h)
// Every layer's input width is the previous layer's output width.
//
// Parameter names: layer i of the top list has prefix "layers.<i>.", layer j
// inside a residual at i has "layers.<i>.layers.<j>.", layer j of member k
// of an ensemble at i has "layers.<i>.members.<k>.layers.<j>." — e.g.
// "layers.0.weight_ih_l0", "layers.4.weight", "layers.1.in_proj_weight",
// which is what a torch module with `self.layers = nn.ModuleList([...])`
// (residual bodies likewise) produces. Initialisation is PyTorch's default
// for each layer type, drawn in layer order from Rng(seed): deterministic.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "auris/core/tensor.h"
#include "auris/nn/layer.h"
#include "auris/nn/sequential.h"

namespace auris::nn {

class ModelStream;

class Model {
 public:
  // Throws auris::Error naming the layer and field on a bad description,
  // including one with more than `max_params` parameters.
  explicit Model(const std::string& architecture_json, std::uint64_t seed = 0,
                 std::int64_t max_params = INT64_MAX);
  Model(const Model&) = delete;
  Model& operator=(const Model&) = delete;
  Model(Model&&) = default;
  Model& operator=(Model&&) = default;

  // The description, normalised (defaults filled in): store it with the weights.
  const std::string& Architecture() const { return architecture_; }
  int InputDim() const { return input_dim_; }
  // Input frames per output frame ("stack"; 1 for most models).
  int Stack() const { return stack_; }
  // Output frames for `input_frames` input frames.
  int OutputFrames(int input_frames) const { return input_frames / stack_; }
  int OutputDim() const { return layers_->OutputDim(); }
  // True when every layer is causal: CreateStream() works.
  bool IsCausal() const { return layers_->IsCausal(); }
  // True when the output is one vector per sequence (an attention_pool layer).
  bool IsPooled() const { return pooled_; }

  ParamStore& Params() { return params_; }
  const ParamStore& Params() const { return params_; }
  std::int64_t NumParams() const { return params_.NumScalars(); }
  const Sequential& Layers() const { return *layers_; }

  // Whole batch; with `cache`, keeps what Backward needs.
  SeqBatch Forward(const SeqBatch& in, RunContext& ctx,
                   std::unique_ptr<LayerCache>* cache = nullptr) const;
  // Accumulates dLoss/dParams into `grads` (Grads(Params()) shaped), returns dLoss/dInput.
  SeqBatch Backward(const SeqBatch& grad_out, const LayerCache& cache, Grads& grads) const;
  // The cache of top-level layer i inside a cache filled by Forward, e.g.
  //   static_cast<const AttentionPooling&>(m.Layers().At(3)).AttentionWeights(m.LayerCacheOf(*cache, 3))
  const LayerCache& LayerCacheOf(const LayerCache& model_cache, int i) const;
  // The Sequential's cache (Layers()) inside a cache filled by Forward.
  const LayerCache& LayersCache(const LayerCache& model_cache) const;

  // Weights as PyTorch-named tensors, and back (names and shapes must match exactly).
  std::vector<NamedTensor> ExportParams() const { return params_.Export(); }
  void ImportParams(const std::vector<NamedTensor>& tensors) { params_.Import(tensors); }

  // Per-stream state for Step(); throws unless IsCausal().
  ModelStream CreateStream() const;

 private:
  std::string architecture_;
  ParamStore params_;
  std::unique_ptr<Sequential> layers_;
  int input_dim_ = 0;
  int stack_ = 1;
  bool pooled_ = false;
};

// One stream of frame-by-frame inference. Holds every layer's StepState and
// the buffers between layers, allocated once; Step() allocates nothing (with
// windowed attention). The model must outlive the stream and not change.
class ModelStream {
 public:
  explicit ModelStream(const Model& model);

  // Feeds one frame (InputDim floats) and returns the model output after it
  // (OutputDim floats; for a pooled model, the pooled result of all frames so
  // far). Valid until the next Step/Reset. Equals Forward over the same prefix.
  // A stacking model (Stack() > 1) returns nullptr until a group of Stack()
  // frames is complete; Output() keeps the last output meanwhile.
  const float* Step(const float* frame);
  // The same frame into several streams of one model, each weight read once
  // for all (Layer::StepMany); each stream's Output() is then what Step
  // would have returned (its last output, if Step would give nullptr).
  // Allocation-free.
  static void StepMany(std::span<ModelStream* const> streams, const float* frame);
  // Each stream its own frame (frames[i] into streams[i]; equal sizes): the
  // streams of many clients stepped together. Otherwise as above.
  static void StepMany(std::span<ModelStream* const> streams, std::span<const float* const> frames);
  // After a Step/StepMany: true when that frame completed a group, so
  // Output() is new (always for Stack() == 1).
  bool OutputIsNew() const { return frames_ > 0 && frames_ % model_->Stack() == 0; }
  const float* Output() const { return out_.data(); }
  // Back to the state before the first frame.
  void Reset();
  long long FramesSeen() const { return frames_; }  // input frames
  // The state of top-level layer i after the last Step (nullptr for a
  // stateless layer), e.g. AttentionPoolingState::scores of the last frame.
  const StepState* LayerState(int i) const { return model_->Layers().LayerState(*state_, i); }
  int OutputDim() const { return static_cast<int>(out_.size()); }

 private:
  const Model* model_;
  std::unique_ptr<StepState> state_;
  std::vector<float> group_;  // a stacking model's frames of the current group
  std::vector<float> out_;
  long long frames_ = 0;
  // Copies `frame` into the group; true when the group is complete (always
  // for Stack() == 1, when `frame` is used directly).
  const float* Gather(const float* frame);
};

}  // namespace auris::nn
