// BatchExtractor: feature extraction over many utterances on a thread pool,
// written in input order. A failing utterance is reported through the error
// callback and skipped; the others are still written.
#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <vector>

#include "auris/core/progress.h"
#include "auris/io/feature_writer.h"
#include "auris/pipeline/feature_pipeline.h"

namespace auris::pipeline {

struct BatchSummary {
  std::size_t total = 0;
  std::size_t done = 0;    // written
  std::size_t failed = 0;
  double audio_seconds = 0;
};

struct BatchOptions {
  int num_threads = 0;  // <= 0: all cores
  // Called on the calling thread, in input order, once per failed utterance
  // (message names the utterance and the problem) and per warning.
  std::function<void(const std::string& message)> on_error;
  std::function<void(const std::string& message)> on_warning;
  Progress* progress = nullptr;
};

BatchSummary ExtractBatch(const std::vector<io::InputItem>& sources,
                          const FeaturePipelineOptions& options, io::FeatureWriter& writer,
                          const BatchOptions& batch);

// The K-th (1-based) of N deterministic, disjoint, contiguous parts of
// `count` items, as [begin, end). Throws for K outside [1, N].
std::pair<std::size_t, std::size_t> ShardRange(std::size_t count, int k, int n);

}  // namespace auris::pipeline
