#include "auris/train/checkpoint.h"

#include <nlohmann/json.hpp>

#include "auris/core/error.h"
#include "auris/io/safetensors.h"

namespace auris::train {

using nlohmann::json;

namespace {

constexpr const char* kFormat = "auris-checkpoint-1";
constexpr const char* kBest = "best.";
constexpr const char* kAverage = "avg.";

json StateToJson(const CheckpointState& s) {
  return {{"epoch", s.epoch},         {"batch", s.batch},         {"loss_sum", s.loss_sum},
          {"correct", s.correct},     {"seen", s.seen},           {"best_score", s.best_score},
          {"best_acc", s.best_acc},   {"best_epoch", s.best_epoch}, {"since_best", s.since_best},
          {"elapsed_s", s.elapsed_s}, {"averaged", s.averaged}};
}

CheckpointState StateFromJson(const json& j) {
  CheckpointState s;
  s.epoch = j.at("epoch");
  s.batch = j.at("batch");
  s.loss_sum = j.at("loss_sum");
  s.correct = j.at("correct");
  s.seen = j.at("seen");
  s.best_score = j.at("best_score");
  s.best_acc = j.at("best_acc");
  s.best_epoch = j.at("best_epoch");
  s.since_best = j.at("since_best");
  s.elapsed_s = j.at("elapsed_s");
  s.averaged = j.value("averaged", 0);  // absent before --average-last existed
  return s;
}

}  // namespace

void SaveCheckpoint(const std::string& path, const CheckpointIdentity& id, const nn::ParamStore& params,
                    const nn::Adam& adam, const std::vector<NamedTensor>& best, const std::vector<NamedTensor>& averaged,
                    const CheckpointState& state) {
  io::SafetensorsFile f;
  f.metadata["format"] = kFormat;
  f.metadata["architecture"] = id.architecture;
  f.metadata["labels"] = json(id.labels).dump();
  f.metadata["options"] = id.options;
  // JSON keeps doubles exactly (shortest round-trip form).
  f.metadata["state"] = StateToJson(state).dump();
  f.tensors = params.Export();
  for (NamedTensor& t : adam.ExportState(params)) f.tensors.push_back(std::move(t));
  for (const NamedTensor& t : best) f.tensors.push_back({kBest + t.name, t.shape, t.data});
  for (const NamedTensor& t : averaged) f.tensors.push_back({kAverage + t.name, t.shape, t.data});
  io::WriteSafetensors(path, f);
}

void LoadCheckpoint(const std::string& path, const CheckpointIdentity& id, nn::ParamStore& params, nn::Adam& adam,
                    std::vector<NamedTensor>* best, std::vector<NamedTensor>* averaged, CheckpointState* state) {
  const io::SafetensorsFile f = io::ReadSafetensors(path);
  auto meta = [&](const std::string& key) -> const std::string& {
    const auto it = f.metadata.find(key);
    if (it == f.metadata.end()) throw MakeError(path, ": not an auris training checkpoint (no \"", key, "\")");
    return it->second;
  };
  if (meta("format") != kFormat) throw MakeError(path, ": unknown checkpoint format \"", meta("format"), "\"");
  if (meta("architecture") != id.architecture)
    throw MakeError(path, ": the checkpoint has a different architecture than this run");
  if (meta("labels") != json(id.labels).dump())
    throw MakeError(path, ": the checkpoint's labels ", meta("labels"), " differ from this run's ", json(id.labels).dump());
  if (meta("options") != id.options)
    throw MakeError(path, ": the checkpoint was made with other training options (", meta("options"),
                    ") than this run (", id.options, ")");
  std::vector<NamedTensor> current;
  best->clear();
  averaged->clear();
  for (const NamedTensor& t : f.tensors) {
    if (t.name.starts_with(kBest)) best->push_back({t.name.substr(5), t.shape, t.data});
    else if (t.name.starts_with(kAverage)) averaged->push_back({t.name.substr(4), t.shape, t.data});
    else if (!t.name.starts_with("optim.")) current.push_back(t);
  }
  try {
    params.Import(current);
    adam.ImportState(params, f.tensors);
    *state = StateFromJson(json::parse(meta("state")));
  } catch (const json::exception& e) {
    throw MakeError(path, ": bad checkpoint state: ", e.what());
  } catch (const Error& e) {
    throw MakeError(path, ": ", e.what());
  }
}

}  // namespace auris::train
