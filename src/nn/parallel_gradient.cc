#include "auris/nn/parallel_gradient.h"

#include <algorithm>

#include "auris/core/check.h"

namespace auris::nn {

void ParallelGradientOptions::Validate() const {
  if (num_shards < 0) throw MakeError("parallel gradient: num_shards must be >= 0, got ", num_shards);
}

ParallelGradient::ParallelGradient(const Model& model, const ParallelGradientOptions& opts)
    : model_(model), pool_(opts.num_threads) {
  opts.Validate();
  num_shards_ = opts.num_shards > 0 ? opts.num_shards : pool_.NumThreads();
  for (int s = 0; s < num_shards_; ++s) shard_grads_.emplace_back(model.Params());
}

double ParallelGradient::Compute(const SeqBatch& batch, const ShardLoss& loss, bool training,
                                 std::uint64_t dropout_seed, Grads& grads) {
  AURIS_CHECK_EQ(static_cast<int>(grads.g.size()), model_.Params().Size()) << "Grads of another model";
  const int shards = std::min(num_shards_, std::max(batch.batch, 1));
  std::vector<LossSum> sums(shards);
  // Shard s gets sequences [first(s), first(s+1)): sizes differ by at most one.
  auto first = [&](int s) { return static_cast<int>(static_cast<long long>(batch.batch) * s / shards); };
  pool_.ParallelFor(shards, [&](std::size_t si, int) {
    const int s = static_cast<int>(si);
    const SeqBatch part = batch.Slice(first(s), first(s + 1) - first(s));
    Rng rng(dropout_seed + static_cast<std::uint64_t>(s));
    RunContext ctx{.training = training, .rng = &rng};
    std::unique_ptr<LayerCache> cache;
    const SeqBatch out = model_.Forward(part, ctx, &cache);
    SeqBatch grad_out = SeqBatch::ZerosLike(out, out.Dim());
    sums[s] = loss(out, first(s), grad_out);
    shard_grads_[s].SetZero();
    model_.Backward(grad_out, *cache, shard_grads_[s]);
  });
  double total = 0, count = 0;
  for (const LossSum& l : sums) {
    total += l.sum;
    count += l.count;
  }
  if (!(count > 0)) throw MakeError("parallel gradient: the loss covered no items (count ", count, ")");
  grads.SetZero();
  for (int s = 0; s < shards; ++s) grads.Add(shard_grads_[s]);
  grads.Scale(static_cast<float>(1.0 / count));
  return total / count;
}

}  // namespace auris::nn
