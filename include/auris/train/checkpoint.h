// Training checkpoints: one safetensors file with the current weights
// ("<param>"), the AdamW state ("optim.*"), the best weights so far
// ("best.<param>"), the running mean for --average-last ("avg.<param>")
// and, as metadata, the progress counters and what the run was
// (architecture, labels, options) so a resume with different settings is
// refused instead of silently continuing something else.
#pragma once

#include <string>
#include <vector>

#include "auris/core/tensor.h"
#include "auris/nn/optimizer.h"
#include "auris/nn/param.h"

namespace auris::train {

struct CheckpointIdentity {
  std::string architecture;
  std::vector<std::string> labels;
  std::string options;  // TrainOptions::ToString()
};

struct CheckpointState {
  int epoch = 0;          // epochs completed
  int batch = 0;          // batches completed within the current epoch
  double loss_sum = 0, correct = 0, seen = 0;  // running sums of the current epoch
  double best_score = 0, best_acc = 0;
  int best_epoch = 0;     // 1-based; 0 = none yet
  int since_best = 0;     // epochs without improvement
  int averaged = 0;       // epochs in the running mean of the weights (average_last)
  double elapsed_s = 0;   // training time so far
};

// Written through a temporary file renamed into place.
void SaveCheckpoint(const std::string& path, const CheckpointIdentity& id, const nn::ParamStore& params,
                    const nn::Adam& adam, const std::vector<NamedTensor>& best,
                    const std::vector<NamedTensor>& averaged, const CheckpointState& state);

// Throws auris::Error naming the file: unreadable, not a checkpoint, or made
// with a different architecture / labels / options (the message says which).
void LoadCheckpoint(const std::string& path, const CheckpointIdentity& id, nn::ParamStore& params, nn::Adam& adam,
                    std::vector<NamedTensor>* best, std::vector<NamedTensor>* averaged, CheckpointState* state);

}  // namespace auris::train
