#include "auris/pipeline/batch_extractor.h"

#include <optional>

#include "auris/core/error.h"
#include "auris/core/ordered_map.h"
#include "auris/core/thread_pool.h"

namespace auris::pipeline {
namespace {

struct Outcome {
  std::optional<UtteranceFeatures> features;
  std::string error;
};

}  // namespace

std::pair<std::size_t, std::size_t> ShardRange(std::size_t count, int k, int n) {
  if (n < 1 || k < 1 || k > n)
    throw MakeError("--shard ", k, "/", n, ": need 1 <= K <= N (K is 1-based)");
  // Contiguous parts whose sizes differ by at most one.
  const std::size_t begin = count * static_cast<std::size_t>(k - 1) / n;
  const std::size_t end = count * static_cast<std::size_t>(k) / n;
  return {begin, end};
}

BatchSummary ExtractBatch(const std::vector<io::InputItem>& sources,
                          const FeaturePipelineOptions& options, io::FeatureWriter& writer,
                          const BatchOptions& batch) {
  options.Validate();
  BatchSummary summary;
  summary.total = sources.size();
  const int threads = batch.num_threads > 0 ? batch.num_threads : ThreadPool::HardwareThreads();
  OrderedParallelMap<Outcome>(
      sources.size(), threads, static_cast<std::size_t>(4 * threads),
      [&](std::size_t i) {
        Outcome o;
        try {
          o.features = ExtractUtterance(sources[i], options);
        } catch (const std::exception& e) {
          o.error = e.what();
        }
        return o;
      },
      [&](std::size_t i, Outcome&& o) {
        double seconds = 0;
        if (o.features) {
          if (!o.features->warning.empty() && batch.on_warning)
            batch.on_warning(sources[i].uttid + ": " + o.features->warning);
          // A write failure (disk full) concerns the whole output: it throws.
          writer.Write(sources[i].uttid, o.features->features);
          ++summary.done;
          seconds = o.features->audio_seconds;
          summary.audio_seconds += seconds;
        } else {
          ++summary.failed;
          if (batch.on_error) batch.on_error(o.error);
        }
        if (batch.progress) batch.progress->Advance(seconds, !o.features.has_value());
      });
  return summary;
}

}  // namespace auris::pipeline
