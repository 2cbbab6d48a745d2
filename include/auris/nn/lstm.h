// LSTM: multi-layer, unidirectional (streamable) or bidirectional, with
// PyTorch's nn.LSTM gate order (i, f, g, o) and state_dict names, so a torch
// state_dict loads directly under a prefix:
//   <prefix>weight_ih_l{k}[_reverse]  [4H, in_k]   in_0 = input, in_k = H * directions
//   <prefix>weight_hh_l{k}[_reverse]  [4H, H]
//   <prefix>bias_ih_l{k}[_reverse]    [4H]
//   <prefix>bias_hh_l{k}[_reverse]    [4H]
// Rows [0,H) of each matrix feed the input gate, [H,2H) forget, [2H,3H) cell
// candidate, [3H,4H) output gate. Init uniform(-1/sqrt(H), 1/sqrt(H)) as torch.
//
// Forward: per layer and direction one GEMM projects all time steps of the
// batch at once, then each step adds H_{t-1} W_hhᵀ for the B x 4H block.
// Lengths are respected like pack_padded_sequence: padding frames do not
// update h/c, outputs are zero there, and the reverse direction starts at
// each sequence's own last valid frame. The output of a bidirectional layer
// is [forward, reverse] (2H wide). Dropout (training only) acts on the
// outputs of every layer but the last, as torch.
#pragma once

#include <string>
#include <vector>

#include "auris/nn/layer.h"
#include "auris/nn/shared_step_weights.h"

namespace auris::nn {

struct LstmStepWeights;

struct LstmOptions {
  int input = 0;
  int hidden = 0;
  int num_layers = 1;
  bool bidirectional = false;
  float dropout = 0.0f;  // between layers, training only
  void Validate() const;
  std::string ToString() const;
};

class Lstm final : public Layer {
 public:
  Lstm(ParamStore& params, const std::string& prefix, const LstmOptions& opts, Rng& rng);

  std::string Kind() const override { return "lstm"; }
  int InputDim() const override { return opts_.input; }
  int OutputDim() const override { return opts_.hidden * Directions(); }
  const LstmOptions& Options() const { return opts_; }
  int Directions() const { return opts_.bidirectional ? 2 : 1; }

  SeqBatch Forward(const SeqBatch& in, const ParamStore& params, RunContext& ctx,
                   std::unique_ptr<LayerCache>* cache) const override;
  SeqBatch Backward(const SeqBatch& grad_out, const ParamStore& params, const LayerCache& cache,
                    Grads& grads) const override;

  // Unidirectional only. The state holds h and c of every layer (zero after
  // Reset()), the gate buffers and the weights in the layout AddMatVecMany
  // reads, shared with the layer's other streams; Step() allocates nothing. StepMany reads the weights
  // once for all its streams, and Step is StepMany of one.
  bool IsCausal() const override { return !opts_.bidirectional; }
  std::unique_ptr<StepState> NewStepState(const ParamStore& params) const override;
  void Step(const float* in, const ParamStore& params, StepState& state, float* out) const override;
  void StepMany(std::span<const float* const> in, const ParamStore& params, std::span<StepState* const> states,
                std::span<float* const> out) const override;

  // Parameter indices of layer k, direction d (0 forward, 1 reverse).
  struct DirectionParams {
    int w_ih = -1, w_hh = -1, b_ih = -1, b_hh = -1;
  };
  const DirectionParams& ParamsOf(int k, int d) const { return p_[k * Directions() + d]; }

 private:
  LstmOptions opts_;
  std::vector<DirectionParams> p_;
  SharedStepWeights<LstmStepWeights> step_weights_;
};

}  // namespace auris::nn
