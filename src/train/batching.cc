#include "auris/train/batching.h"

#include <algorithm>
#include <numeric>

#include "auris/core/rng.h"

namespace auris::train {

namespace {

std::uint64_t SplitMix(std::uint64_t x) {
  x += 0x9e3779b97f4a7c15ull;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
  return x ^ (x >> 31);
}

template <typename T>
void Shuffle(std::vector<T>& v, Rng& rng) {  // Fisher-Yates with our own Rng: same on every platform
  for (std::size_t i = v.size(); i > 1; --i) std::swap(v[i - 1], v[rng.Index(static_cast<std::uint32_t>(i))]);
}

}  // namespace

std::uint64_t MixSeed(std::uint64_t a, std::uint64_t b, std::uint64_t c) {
  return SplitMix(SplitMix(SplitMix(a) ^ b) ^ c);
}

std::vector<std::vector<int>> EpochBatches(const std::vector<std::size_t>& lengths, int batch_size,
                                           std::uint64_t seed, int epoch) {
  Rng rng(MixSeed(seed, 0x5eed, static_cast<std::uint64_t>(epoch)));
  std::vector<int> order(lengths.size());
  std::iota(order.begin(), order.end(), 0);
  Shuffle(order, rng);
  // Buckets of 16 batches: sorted by length inside, so batches are uniform
  // while the shuffle above still varies their company from epoch to epoch.
  const std::size_t bucket = static_cast<std::size_t>(batch_size) * 16;
  std::vector<std::vector<int>> batches;
  for (std::size_t start = 0; start < order.size(); start += bucket) {
    const auto first = order.begin() + static_cast<std::ptrdiff_t>(start);
    const auto last = order.begin() + static_cast<std::ptrdiff_t>(std::min(order.size(), start + bucket));
    std::stable_sort(first, last, [&](int a, int b) { return lengths[a] < lengths[b]; });
    for (auto it = first; it < last; it += std::min<std::ptrdiff_t>(batch_size, last - it))
      batches.emplace_back(it, it + std::min<std::ptrdiff_t>(batch_size, last - it));
  }
  Shuffle(batches, rng);
  return batches;
}

}  // namespace auris::train
