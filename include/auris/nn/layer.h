// The layer contract. A layer holds the indices of its parameters in the
// model's ParamStore (the store owns the values), computes a whole padded
// batch forward and backward, and — if causal — one frame at a time with a
// per-stream StepState whose buffers are allocated once in NewStepState().
// Step() over a sequence must give exactly what Forward() gives, and
// StepMany() exactly what Step() gives on each of its streams.
#pragma once

#include <cstddef>
#include <memory>
#include <span>
#include <string>

#include "auris/core/rng.h"
#include "auris/nn/param.h"
#include "auris/nn/seq_batch.h"

namespace auris::nn {

// What Forward() keeps for Backward(); each layer defines its own subclass.
struct LayerCache {
  virtual ~LayerCache() = default;
};

// Per-stream state for Step(); each causal layer defines its own subclass.
struct StepState {
  virtual ~StepState() = default;
  virtual void Reset() = 0;
};

// The state of a causal layer that keeps nothing between frames.
struct NoStepState final : StepState {
  void Reset() override {}
};

struct RunContext {
  bool training = false;  // dropout etc. active
  Rng* rng = nullptr;     // required when training with dropout
};

class Layer {
 public:
  virtual ~Layer() = default;
  virtual std::string Kind() const = 0;
  virtual int InputDim() const = 0;
  virtual int OutputDim() const = 0;

  // Whole batch. If `cache` is non-null, stores what Backward needs.
  virtual SeqBatch Forward(const SeqBatch& in, const ParamStore& params, RunContext& ctx,
                           std::unique_ptr<LayerCache>* cache) const = 0;
  // Accumulates dLoss/dParams into `grads`, returns dLoss/dInput.
  virtual SeqBatch Backward(const SeqBatch& grad_out, const ParamStore& params,
                            const LayerCache& cache, Grads& grads) const = 0;

  // Streaming (causal layers). in: InputDim floats; out: OutputDim floats.
  // The state may keep what it derives from `params` (e.g. weights in the
  // layout a step reads fastest): the parameters must not change while it lives.
  virtual bool IsCausal() const { return false; }
  virtual std::unique_ptr<StepState> NewStepState(const ParamStore& params) const;  // default: nullptr
  virtual void Step(const float* in, const ParamStore& params, StepState& state,
                    float* out) const;  // default throws: not streamable
  // One frame for each of several streams of this layer (at most
  // kMaxStepMany): in[i] -> out[i] with states[i]. The default runs Step on
  // each; layers dominated by weight reads (lstm) read each weight once for all.
  static constexpr std::size_t kMaxStepMany = 16;
  virtual void StepMany(std::span<const float* const> in, const ParamStore& params,
                        std::span<StepState* const> states, std::span<float* const> out) const;
};

}  // namespace auris::nn
