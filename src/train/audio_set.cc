#include "auris/train/audio_set.h"

#include <optional>

#include "auris/audio/load.h"
#include "auris/core/thread_pool.h"
#include "auris/io/pipe.h"
#include "auris/pipeline/feature_config.h"

namespace auris::train {

double AudioSet::TotalSeconds() const {
  double n = 0;
  for (const auto& a : audio) n += static_cast<double>(a.size());
  return sample_rate_hz > 0 ? n / sample_rate_hz : 0;
}

AudioSet LoadAudioSet(DataSet data, double rate, std::size_t min_samples, int num_threads, Progress* progress) {
  const audio::AudioLoadOptions opts = pipeline::ModelAudioOptions(rate);
  const std::size_t n = data.examples.size();
  std::vector<std::optional<std::vector<float>>> loaded(n);
  std::vector<std::string> errors(n);
  ThreadPool pool(num_threads);
  pool.ParallelFor(n, [&](std::size_t i, int) {
    const io::InputItem& src = data.examples[i].source;
    const audio::AudioSegment seg{src.start, src.end, src.channel};
    try {
      std::vector<float> s = src.IsPipe()
                                 ? audio::LoadForFeaturesFromMemory(io::ReadPipeOutput(src.command, src.uttid),
                                                                    src.Source(), opts, seg)
                                 : audio::LoadForFeatures(src.path, opts, seg);
      if (s.size() < min_samples)
        errors[i] = src.Source() + ": too short: " + std::to_string(s.size()) + " samples at " + std::to_string(static_cast<int>(rate)) +
                    " Hz, need at least " + std::to_string(min_samples);
      else
        loaded[i] = std::move(s);
    } catch (const std::exception& e) {
      errors[i] = e.what();
    }
    if (progress) progress->Advance(loaded[i] ? static_cast<double>(loaded[i]->size()) / rate : 0, !loaded[i]);
  });
  AudioSet set;
  set.sample_rate_hz = rate;
  set.problems = std::move(data.problems);
  for (std::size_t i = 0; i < n; ++i) {
    if (loaded[i]) {
      set.examples.push_back(std::move(data.examples[i]));
      set.audio.push_back(std::move(*loaded[i]));
    } else {
      set.problems.push_back({data.examples[i].source.uttid, errors[i]});
    }
  }
  return set;
}

}  // namespace auris::train
