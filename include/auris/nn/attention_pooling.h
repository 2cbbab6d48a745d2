// Attention pooling: Q learned query vectors attend over the valid frames of
// each sequence and give one fixed-size vector per sequence (for
// classification). Parameter (PyTorch-style name):
//   <prefix>query   [Q, E]
// For query j and sequence b with frames x_0..x_{L-1}:
//   w_j(t) = softmax_t( query_j · x_t / sqrt(E) )      over t < L only
//   out_j  = sum_t w_j(t) x_t
//   out    = concat_j out_j                             (width Q·E)
// Concatenation keeps what each query picked out separate (averaging would
// let them cancel); with the default Q = 1 the output width is E.
// Forward gives a SeqBatch with steps == 1 (row b = sequence b); its
// lengths[b] is 1, or 0 with a zero row for an empty sequence.
//
// The per-frame weights of the last Forward are kept in the cache
// (AttentionWeights) for plots.
//
// Streaming: the incremental form is an online softmax per query (running
// max m, running sum s = Σ exp(score - m), running weighted sum
// a = Σ exp(score - m) x), so a live stream has the pooled vector of
// everything so far at any time in O(Q·E) memory, without storing frames.
// Step(frame, out) adds a frame and writes Current(); both equal Forward over
// the same prefix up to float rounding.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "auris/core/eigen.h"
#include "auris/core/rng.h"
#include "auris/nn/layer.h"

namespace auris::nn {

struct AttentionPoolingOptions {
  int embed_dim = 128;  // E: width of the input frames
  int num_queries = 1;  // Q: learned queries; output width Q·E

  void Validate() const;  // throws auris::Error naming the bad field
  std::string ToString() const;
};

class AttentionPooling final : public Layer {
 public:
  // Registers "<prefix>query" [Q, E] (prefix joined with '.' as in
  // attention.h), initialised uniform(±1/sqrt(E)).
  AttentionPooling(ParamStore& store, const std::string& prefix, const AttentionPoolingOptions& opts,
                   Rng& init_rng);

  std::string Kind() const override { return "attention_pooling"; }
  int InputDim() const override { return opts_.embed_dim; }
  int OutputDim() const override { return opts_.embed_dim * opts_.num_queries; }
  const AttentionPoolingOptions& options() const { return opts_; }

  SeqBatch Forward(const SeqBatch& in, const ParamStore& params, RunContext& ctx,
                   std::unique_ptr<LayerCache>* cache) const override;
  // grad_out: steps == 1, one row per sequence.
  SeqBatch Backward(const SeqBatch& grad_out, const ParamStore& params, const LayerCache& cache,
                    Grads& grads) const override;

  // Weights of the Forward() that filled `cache`, one length_b x Q matrix
  // per sequence: entry (t, j) = w_j(t); each column sums to 1.
  std::vector<Matrix> AttentionWeights(const LayerCache& cache) const;

  // Streaming: Step(frame, out) adds one frame and writes the pooled vector
  // of all frames so far (OutputDim floats). Allocation-free.
  bool IsCausal() const override { return true; }
  std::unique_ptr<StepState> NewStepState(const ParamStore& params) const override;
  // `state` must come from this layer's NewStepState() (not checked).
  void Step(const float* in, const ParamStore& params, StepState& state,
            float* out) const noexcept override;
  // The pooled vector so far (zeros before the first frame).
  void Current(const StepState& state, float* out) const noexcept;

 private:
  AttentionPoolingOptions opts_;
  int query_ = -1;  // ParamStore index
};

struct AttentionPoolingCache : LayerCache {
  SeqBatch input;
  Matrix weights;  // (T·B) x Q, time-major like the input; zero at padding
  Matrix pooled;   // B x Q·E, the output
};

// Online-softmax state of AttentionPooling::Step, per query j.
struct AttentionPoolingState : StepState {
  Vector max_score;  // Q: running max m_j
  Vector sum;        // Q: Σ exp(score - m_j)
  Matrix weighted;   // Q x E: Σ exp(score - m_j) x
  Vector scores;     // Q: the last frame's scores query_j · x / sqrt(E) (for streams that locate words)
  long long frames = 0;

  void Reset() override {
    frames = 0;
    sum.setZero();
    weighted.setZero();
  }
};

}  // namespace auris::nn
