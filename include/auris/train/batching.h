// The order of an epoch: a seeded shuffle, then length bucketing (examples
// of similar length share a batch, so little time is spent on padding), then
// the batches themselves shuffled. A function of (seed, epoch) only.
#pragma once

#include <cstdint>
#include <vector>

namespace auris::train {

// Independent seed for a tuple of integers (splitmix64 chain).
std::uint64_t MixSeed(std::uint64_t a, std::uint64_t b, std::uint64_t c = 0);

// lengths[i]: length of example i (any unit). Every example appears in
// exactly one batch; batches hold at most batch_size examples.
std::vector<std::vector<int>> EpochBatches(const std::vector<std::size_t>& lengths, int batch_size,
                                           std::uint64_t seed, int epoch);

}  // namespace auris::train
