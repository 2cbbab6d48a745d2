// Model files: safetensors whose __metadata__ carries everything needed to
// use the weights — the architecture JSON (nn::Model schema), the labels or
// vocabulary, and the complete feature configuration — so a model always gets
// the features it was trained on. PyTorch can write the same files
// (tests/reference/make_model_file.py does), so weights can come from either
// side.
//
// Metadata keys (all values are strings, as safetensors requires):
//   "format"        "auris-model-1"
//   "architecture"  nn::Model architecture JSON
//   "labels"        JSON array of strings (class labels or CTC vocabulary)
//   "features"      JSON object of the feature pipeline options
//   anything else is kept in `extra` (e.g. "task", training provenance;
//   a CTC model's decoding: "beam", "lm_arpa" (ARPA text of a word LM),
//   "lm_weight", "word_bonus", read by pipeline::Recognizer::Decoding).
//
// This sits in its own module because both `train` (writes) and `pipeline`
// (reads) need it and neither may depend on the other.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "auris/nn/model.h"

namespace auris::modelfile {

struct ModelInfo {
  std::vector<std::string> labels;
  std::string features_json = "{}";
  std::map<std::string, std::string> extra;
};

struct LoadedModel {
  std::unique_ptr<nn::Model> model;
  ModelInfo info;
};

// Writes through a temporary file renamed into place.
void SaveModel(const std::string& path, const nn::Model& model, const ModelInfo& info);

// Throws auris::Error naming the file and the problem: not safetensors,
// no or bad architecture, tensors missing / extra / of the wrong shape for
// that architecture, bad labels JSON.
LoadedModel LoadModel(const std::string& path);
LoadedModel LoadModelFromBytes(const std::string& bytes, const std::string& name);

}  // namespace auris::modelfile
