// Shared between lstm.cc (forward, step) and lstm_backward.cc.
#pragma once

#include <vector>

#include "auris/nn/lstm.h"

namespace auris::nn::lstm_internal {

// What Forward keeps per layer for BPTT (all time-major, T*B rows).
struct LayerRecord {
  Matrix input;                // what the layer saw (after inter-layer dropout)
  Matrix gates[2];             // activated gates i, f, g, o per direction; zero at padding
  Matrix cells[2];             // c_t per direction; zero at padding
  Matrix hs[2];                // h_t per direction; zero at padding
  Matrix dropout_mask;         // on this layer's output (empty: none)
};

struct LstmCache final : LayerCache {
  std::vector<LayerRecord> layers;
  std::vector<int> lengths;
  int steps = 0;
  int batch = 0;
};

// In place on one 4H gate row: sigmoid on i, f, o; tanh on g.
template <typename Row>
inline void ActivateGates(Row&& g, int h) {
  g.segment(0, 2 * h).array() = g.segment(0, 2 * h).array().logistic();
  g.segment(2 * h, h).array() = g.segment(2 * h, h).array().tanh();
  g.segment(3 * h, h).array() = g.segment(3 * h, h).array().logistic();
}

}  // namespace auris::nn::lstm_internal
