#include "auris/modelfile/combine.h"

#include <nlohmann/json.hpp>

#include "auris/core/error.h"

namespace auris::modelfile {
namespace {

using Json = nlohmann::json;

std::string Extra(const ModelInfo& info, const std::string& key) {
  const auto it = info.extra.find(key);
  return it == info.extra.end() ? "" : it->second;
}

Json ParseJson(const std::string& text, const std::string& name, const char* what) {
  try {
    return Json::parse(text);
  } catch (const Json::exception& e) {
    throw MakeError(name, ": bad ", what, " JSON: ", e.what());
  }
}

// A model's architecture JSON (nn::Model has normalised it: both keys exist).
Json Architecture(const LoadedModel& m) { return Json::parse(m.model->Architecture()); }

}  // namespace

LoadedModel CombineModels(const std::vector<LoadedModel>& members, const std::vector<std::string>& names) {
  if (members.size() < 2) throw MakeError("an ensemble needs at least two models, got ", members.size());
  if (names.size() != members.size()) throw MakeError("CombineModels: ", names.size(), " names for ", members.size(), " models");
  const ModelInfo& first = members[0].info;
  const Json features = ParseJson(first.features_json, names[0], "features");
  Json member_list = Json::array();
  std::vector<NamedTensor> tensors;
  std::string training;
  for (std::size_t k = 0; k < members.size(); ++k) {
    const ModelInfo& info = members[k].info;
    const std::string& name = names[k];
    const std::string task = Extra(info, "task").empty() ? "classify" : Extra(info, "task");
    if (task != "classify")
      throw MakeError(name, ": a ", task, " model; only classifiers can be combined (CTC models may "
                      "place their label spikes on different frames)");
    if (info.labels != first.labels) throw MakeError(name, ": its labels differ from those of ", names[0]);
    if (ParseJson(info.features_json, name, "features") != features)
      throw MakeError(name, ": its feature configuration differs from that of ", names[0]);
    if (Extra(info, "vtln_search") != Extra(first, "vtln_search"))
      throw MakeError(name, ": its VTLN search (\"", Extra(info, "vtln_search"), "\") differs from that of ",
                      names[0], " (\"", Extra(first, "vtln_search"), "\")");
    const Json arch = Architecture(members[k]);
    if (arch["input_dim"] != Architecture(members[0])["input_dim"])
      throw MakeError(name, ": its network input width differs from that of ", names[0]);
    member_list.push_back({{"layers", arch["layers"]}});
    for (NamedTensor t : members[k].model->ExportParams()) {
      t.name = "layers.0.members." + std::to_string(k) + "." + t.name;
      tensors.push_back(std::move(t));
    }
    training += (k ? " || " : "") + Extra(info, "training");
  }
  const Json arch = {{"input_dim", Architecture(members[0])["input_dim"]},
                     {"layers", Json::array({{{"type", "ensemble"}, {"members", member_list}}})}};
  LoadedModel out;
  out.model = std::make_unique<nn::Model>(arch.dump());
  out.model->ImportParams(tensors);
  out.info.labels = first.labels;
  out.info.features_json = first.features_json;
  out.info.extra["task"] = "classify";
  out.info.extra["training"] = "ensemble of " + std::to_string(members.size()) + ": " + training;
  if (!Extra(first, "vtln_search").empty()) out.info.extra["vtln_search"] = Extra(first, "vtln_search");
  return out;
}

}  // namespace auris::modelfile
