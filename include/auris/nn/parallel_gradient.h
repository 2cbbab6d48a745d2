// Gradient of a batch computed on several threads: the batch is split into a
// fixed number of contiguous shards (sequences [first, first + n)), each
// shard runs Forward/Backward on its own thread with its own caches and
// Grads, and the shard gradients are summed in shard order. The result
// depends on the number of shards only, never on thread timing.
//
// The loss is given as a callback so any loss (cross-entropy, CTC, ...) fits:
// it returns the SUM of its per-item losses over the shard and how many items
// that sum covers (sequences, frames, ...), and writes d(sum)/d(output). The
// gradient returned is that of total_sum / total_count, i.e. the full-batch
// mean, however the batch was split.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <vector>

#include "auris/core/thread_pool.h"
#include "auris/nn/model.h"

namespace auris::nn {

struct LossSum {
  double sum = 0;    // sum of per-item losses over the shard
  double count = 0;  // number of items in that sum (> 0 overall)
};

// output: the model output for sequences [first, first + output.batch) of the
// full batch. grad_output arrives zero, shaped like output; fill d(sum)/d(output).
// Called concurrently for different shards: it must not modify shared state.
using ShardLoss = std::function<LossSum(const SeqBatch& output, int first, SeqBatch& grad_output)>;

struct ParallelGradientOptions {
  int num_threads = 2;  // <= 0: all hardware threads
  int num_shards = 0;   // 0: one per thread; fix it to make results independent of threads
  void Validate() const;
};

class ParallelGradient {
 public:
  ParallelGradient(const Model& model, const ParallelGradientOptions& opts = {});

  // Overwrites `grads` (shaped Grads(model.Params())) with the gradient of the
  // mean loss and returns the mean loss. training: dropout on, shard s drawing
  // from Rng(dropout_seed + s).
  double Compute(const SeqBatch& batch, const ShardLoss& loss, bool training,
                 std::uint64_t dropout_seed, Grads& grads);

  int NumShards() const { return num_shards_; }

 private:
  const Model& model_;
  ThreadPool pool_;
  int num_shards_;
  std::vector<Grads> shard_grads_;
};

}  // namespace auris::nn
