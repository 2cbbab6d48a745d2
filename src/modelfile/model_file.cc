#include "auris/modelfile/model_file.h"

#include <nlohmann/json.hpp>

#include "auris/core/error.h"
#include "auris/io/safetensors.h"

namespace auris::modelfile {
namespace {

constexpr const char* kFormat = "auris-model-1";

LoadedModel FromFile(io::SafetensorsFile file, const std::string& name) {
  auto& meta = file.metadata;
  auto take = [&](const std::string& key, bool required) {
    auto it = meta.find(key);
    if (it == meta.end()) {
      if (required) throw MakeError(name, ": not an auris model (no '", key, "' in __metadata__)");
      return std::string();
    }
    std::string v = std::move(it->second);
    meta.erase(it);
    return v;
  };
  const std::string format = take("format", false);
  if (!format.empty() && format != kFormat)
    throw MakeError(name, ": unsupported model format '", format, "' (expected ", kFormat, ")");
  LoadedModel out;
  const std::string arch = take("architecture", true);
  // An architecture asking for far more parameters than the file holds is
  // refused before allocating them; a near miss gets ImportParams' precise
  // message (which tensor, which shape).
  std::int64_t budget = std::int64_t{1} << 20;
  for (const auto& t : file.tensors) budget += 2 * static_cast<std::int64_t>(t.data.size());
  try {
    out.model = std::make_unique<nn::Model>(arch, 0, budget);
  } catch (const std::exception& e) {
    throw MakeError(name, ": bad architecture: ", e.what());
  }
  try {
    out.model->ImportParams(file.tensors);
  } catch (const std::exception& e) {
    throw MakeError(name, ": weights do not fit the architecture: ", e.what());
  }
  const std::string labels = take("labels", false);
  if (!labels.empty()) {
    try {
      out.info.labels = nlohmann::json::parse(labels).get<std::vector<std::string>>();
    } catch (const std::exception& e) {
      throw MakeError(name, ": 'labels' is not a JSON array of strings: ", e.what());
    }
  }
  const std::string features = take("features", false);
  if (!features.empty()) out.info.features_json = features;
  out.info.extra = std::move(meta);
  return out;
}

}  // namespace

void SaveModel(const std::string& path, const nn::Model& model, const ModelInfo& info) {
  io::SafetensorsFile file;
  file.metadata = info.extra;
  file.metadata["format"] = kFormat;
  file.metadata["architecture"] = model.Architecture();
  file.metadata["labels"] = nlohmann::json(info.labels).dump();
  file.metadata["features"] = info.features_json;
  file.tensors = model.ExportParams();
  io::WriteSafetensors(path, file);
}

LoadedModel LoadModel(const std::string& path) { return FromFile(io::ReadSafetensors(path), path); }

LoadedModel LoadModelFromBytes(const std::string& bytes, const std::string& name) {
  return FromFile(io::ParseSafetensors(bytes, name), name);
}

}  // namespace auris::modelfile
