// A data set's audio held in memory at the model's rate, mono, so every
// epoch can augment and extract features afresh without reading files.
#pragma once

#include <string>
#include <vector>

#include "auris/core/progress.h"
#include "auris/train/dataset.h"

namespace auris::train {

struct AudioSet {
  std::vector<Example> examples;           // the usable ones, in data-set order
  std::vector<std::vector<float>> audio;   // audio[i]: samples of examples[i] (Kaldi int16 scale)
  std::vector<Problem> problems;           // the data set's problems plus unreadable audio
  double sample_rate_hz = 0;

  std::size_t size() const { return examples.size(); }
  double TotalSeconds() const;
};

// Loads every example (any rate: resampled with soxr; any channel count:
// averaged). Audio shorter than min_samples counts as a problem. An example
// that fails is reported once (id, source, reason) and dropped; the others
// are kept. Deterministic, whatever the thread count.
AudioSet LoadAudioSet(DataSet data, double sample_rate_hz, std::size_t min_samples, int num_threads,
                      Progress* progress = nullptr);

}  // namespace auris::train
