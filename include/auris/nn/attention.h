// Multi-head scaled dot-product self-attention (Vaswani et al.), with the
// parameters and layout of torch.nn.MultiheadAttention(E, H) so PyTorch
// weights load directly:
//   <prefix>in_proj_weight   [3E, E]   rows 0..E-1 → Q, E..2E-1 → K, 2E..3E-1 → V
//   <prefix>in_proj_bias     [3E]
//   <prefix>out_proj.weight  [E, E]
//   <prefix>out_proj.bias    [E]
// `prefix` is prepended with a '.' separator unless empty or already ending
// in '.': "encoder.2" and "encoder.2." both give "encoder.2.in_proj_weight".
//
// For head h (width d = E/H), query frame t and key frame s of sequence b:
//   score(t, s) = q_t·k_s / sqrt(d)  [ - slope_h |t - s|  with positional = alibi ]
//   out_t       = out_proj( concat_h  sum_s softmax_s(score(t, ·)) v_s )
// Visible keys (everything else is excluded from the softmax, i.e. -inf):
//   s < length_b                       key padding mask
//   s <= t                             if causal
//   s >= t - window_frames + 1         if window_frames > 0 (the query frame
//                                      and window_frames - 1 frames before it)
// A valid query always sees at least itself, so no valid row is ever fully
// masked; padded query rows (t >= length_b) output exact zeros and take no
// gradient. Positional information: see positional.h (relative or none).
//
// Streaming (causal only): Step() runs one frame per call with a
// StepState holding the last window_frames keys and values in a ring buffer
// allocated once in NewStepState(): cost and memory per frame are bounded by
// the window, independent of how long the stream runs. Without a window the
// cache must keep every past key: it grows by doubling (an allocation at
// frames 64, 128, 256, ...; Step is noexcept, so running out of memory
// there terminates), so streaming models should set a window.
// Step outputs equal Forward outputs up to float rounding (different
// summation order), checked by tests over random lengths.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "auris/core/eigen.h"
#include "auris/core/rng.h"
#include "auris/nn/layer.h"
#include "auris/nn/positional.h"

namespace auris::nn {

// Defaults are the streaming reference model (4 heads of width 32, causal,
// 100-frame window, no positional bias: the LSTM before it carries order).
struct AttentionOptions {
  int embed_dim = 128;          // E: input and output width, multiple of num_heads
  int num_heads = 4;            // H; each head has width E / H
  bool causal = true;           // query t sees keys s <= t (required for Step)
  int window_frames = 100;      // > 0: keys s > t - window_frames; 0: unlimited left context
  std::string positional = "none";  // "none" | "alibi" (see positional.h)

  void Validate() const;        // throws auris::Error naming the bad field
  std::string ToString() const;
};

class MultiHeadAttention final : public Layer {
 public:
  // Registers the four parameters in `store` and initialises them as PyTorch
  // does: in_proj_weight xavier-uniform, out_proj.weight uniform(±1/sqrt(E)),
  // biases zero.
  MultiHeadAttention(ParamStore& store, const std::string& prefix, const AttentionOptions& opts,
                     Rng& init_rng);

  std::string Kind() const override { return "attention"; }
  int InputDim() const override { return opts_.embed_dim; }
  int OutputDim() const override { return opts_.embed_dim; }
  const AttentionOptions& options() const { return opts_; }

  SeqBatch Forward(const SeqBatch& in, const ParamStore& params, RunContext& ctx,
                   std::unique_ptr<LayerCache>* cache) const override;
  SeqBatch Backward(const SeqBatch& grad_out, const ParamStore& params, const LayerCache& cache,
                    Grads& grads) const override;

  // Attention weights of head `head` for sequence `b` of the Forward() that
  // filled `cache`: length_b x length_b, row t = softmax over keys for query
  // t (zeros where masked). Recomputed from the cached projections.
  Matrix AttentionWeights(const LayerCache& cache, int b, int head) const;

  bool IsCausal() const override { return opts_.causal; }
  // Throws unless causal.
  std::unique_ptr<StepState> NewStepState(const ParamStore& params) const override;
  // in, out: E floats; `state` must come from this layer's NewStepState()
  // (not checked: hot path). Allocation-free with a window.
  void Step(const float* in, const ParamStore& params, StepState& state,
            float* out) const noexcept override;

 private:
  AttentionOptions opts_;
  std::vector<float> alibi_slopes_;  // empty unless positional == alibi
  int w_in_ = -1, b_in_ = -1, w_out_ = -1, b_out_ = -1;  // ParamStore indices
};

// What Forward keeps for Backward: the input, the fused Q|K|V projections and
// the per-head context vectors. Attention probabilities are recomputed in
// Backward (memory O(T·E) instead of O(T²·H) per sequence).
struct AttentionCache : LayerCache {
  SeqBatch input;
  Matrix qkv;      // (T·B) x 3E
  Matrix context;  // (T·B) x E, zero at padded rows
};

// Per-stream state of MultiHeadAttention::Step.
struct AttentionState : StepState {
  // Ring buffers over past frames, slot = frame index mod capacity. Keys are
  // stored transposed (column = one frame) so a head's scores are one
  // axpy-style GEMV over contiguous rows; values row = one frame.
  Matrix keys;          // E x capacity
  Matrix values;        // capacity x E
  long long frames = 0; // frames seen since Reset()
  bool grow = false;    // no window: capacity doubles when full
  Vector qkv, context, scores;  // scratch: 3E, E, capacity

  int Capacity() const { return static_cast<int>(keys.cols()); }
  void Reset() override { frames = 0; }
};

}  // namespace auris::nn
