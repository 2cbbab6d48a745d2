// A small streamable classifier for stream tests, independent of any trained
// model: 16 kHz fbank (23 bins) with global CMVN (mean and variance, stats of
// the bundled digit string), a causal LSTM, attention pooling and a linear
// layer initialised from a fixed seed.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "auris/audio/load.h"
#include "auris/dsp/cmvn.h"
#include "auris/dsp/feature_extractor.h"
#include "auris/modelfile/model_file.h"
#include "auris/pipeline/feature_config.h"
#include "auris/pipeline/recognizer.h"
#include "test_support.h"

namespace auris::test {

inline modelfile::LoadedModel StreamableClassifierModel(const std::vector<std::string>& labels, std::uint64_t seed) {
  pipeline::FeaturePipelineOptions o;
  o.features.type = "fbank";
  o.features.fbank.frame.sample_frequency_hz = 16000;
  o.cmvn = pipeline::CmvnMode::kGlobal;
  o.cmvn_options.norm_vars = true;
  const std::vector<float> audio = audio::LoadForFeatures(SourceDir() + "/data/samples/digit_string.wav",
                                                          pipeline::ModelAudioOptions(16000));
  o.global_stats =
      dsp::ComputeCmvnStats(dsp::ComputeFeatures(o.features, audio.data(), static_cast<std::int64_t>(audio.size())));
  const std::string arch = R"({"input_dim": )" + std::to_string(o.features.Dim()) +
                           R"(, "layers": [{"type": "lstm", "hidden": 16}, {"type": "attention_pool"},
                              {"type": "linear", "out": )" + std::to_string(labels.size()) + "}]}";
  modelfile::ModelInfo info;
  info.labels = labels;
  info.features_json = pipeline::FeatureConfigToJson(o);
  info.extra["task"] = "classify";
  return {std::make_unique<nn::Model>(arch, seed), info};
}

inline pipeline::Recognizer StreamableClassifier(const std::vector<std::string>& labels, std::uint64_t seed = 7) {
  return pipeline::Recognizer(StreamableClassifierModel(labels, seed), "test-kws");
}

// The same model as a file (for the command line).
inline void SaveStreamableClassifier(const std::string& path, const std::vector<std::string>& labels,
                                     std::uint64_t seed = 7) {
  const modelfile::LoadedModel m = StreamableClassifierModel(labels, seed);
  modelfile::SaveModel(path, *m.model, m.info);
}

}  // namespace auris::test
