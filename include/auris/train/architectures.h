// Named model architectures for `auris train --arch`, and architecture files.
//   lstm-attpool  (default classifier) 2-layer unidirectional LSTM -> attention
//                 pooling -> linear. Causal, so it also runs as a stream.
//   lstm-mhsa     LSTM -> residual causal multi-head self-attention (windowed,
//                 ALiBi) with LayerNorm -> attention pooling -> linear.
//   ctc-lstm      (default CTC) causal 2-layer LSTM -> residual windowed causal
//                 self-attention -> per-frame linear over blank + units.
// A FILE is an nn::Model architecture JSON (see nn/model.h) in which
// "input_dim" may be omitted (the features' width is used) and a linear
// layer's "out" may be the string "labels" (the label count is used).
#pragma once

#include <string>

namespace auris::train {

struct ArchitectureSize {
  int hidden = 128;     // LSTM width
  int lstm_layers = 2;
  float dropout = 0.1f;
  int stack = 1;        // input frames per model step (nn::Model's "stack")
};

// Throws auris::Error for an unknown name or unreadable / bad file.
std::string ResolveArchitecture(const std::string& name_or_file, int input_dim, int num_labels,
                                const ArchitectureSize& size = {});

}  // namespace auris::train
