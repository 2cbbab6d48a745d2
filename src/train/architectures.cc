#include "auris/train/architectures.h"

#include <filesystem>
#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "auris/core/error.h"

namespace auris::train {

using nlohmann::json;

namespace {

json Lstm(const ArchitectureSize& s) {
  return {{"type", "lstm"}, {"hidden", s.hidden}, {"num_layers", s.lstm_layers}, {"dropout", s.dropout}};
}

json SelfAttention(int heads, int window) {
  return {{"type", "residual"},
          {"layers", json::array({{{"type", "layernorm"}},
                                  {{"type", "attention"}, {"heads", heads}, {"causal", true},
                                   {"window", window}, {"positional", "alibi"}}})}};
}

json Named(const std::string& name, const ArchitectureSize& s) {
  json layers;
  if (name == "lstm-attpool") {
    layers = {Lstm(s), {{"type", "dropout"}, {"p", s.dropout}}, {{"type", "attention_pool"}},
              {{"type", "linear"}, {"out", "labels"}}};
  } else if (name == "lstm-mhsa") {
    layers = {Lstm(s), SelfAttention(4, 100), {{"type", "dropout"}, {"p", s.dropout}},
              {{"type", "attention_pool"}}, {{"type", "linear"}, {"out", "labels"}}};
  } else if (name == "ctc-lstm") {
    layers = {Lstm(s), SelfAttention(4, 50), {{"type", "dropout"}, {"p", s.dropout}},
              {{"type", "linear"}, {"out", "labels"}}};
  } else {
    return nullptr;
  }
  return {{"layers", layers}};
}

void FillLabels(json& layers, int num_labels) {
  for (json& layer : layers) {
    if (layer.contains("out") && layer["out"].is_string()) {
      if (layer["out"] != "labels") throw MakeError("\"out\": \"", layer["out"].get<std::string>(), "\" (only \"labels\" is allowed as a name)");
      layer["out"] = num_labels;
    }
    if (layer.contains("layers")) FillLabels(layer["layers"], num_labels);
  }
}

}  // namespace

std::string ResolveArchitecture(const std::string& spec, int input_dim, int num_labels, const ArchitectureSize& size) {
  json arch = Named(spec, size);
  if (!arch.is_null() && size.stack != 1) arch["stack"] = size.stack;
  if (arch.is_null()) {
    if (size.stack != 1)
      throw MakeError("--stack-frames is for named architectures; in an architecture file, set \"stack\"");
    if (!std::filesystem::is_regular_file(spec))
      throw MakeError("--arch ", spec, ": neither a known architecture (lstm-attpool, lstm-mhsa, ctc-lstm) nor a file");
    std::ifstream in(spec);
    std::stringstream text;
    text << in.rdbuf();
    try {
      arch = json::parse(text.str());
    } catch (const json::exception& e) {
      throw MakeError(spec, ": not valid JSON: ", e.what());
    }
    if (!arch.is_object() || !arch.contains("layers") || !arch["layers"].is_array())
      throw MakeError(spec, ": an architecture is a JSON object with a \"layers\" array");
  }
  if (arch.contains("input_dim") && arch["input_dim"] != input_dim)
    throw MakeError("--arch ", spec, ": input_dim ", arch["input_dim"].dump(), " but the features are ", input_dim,
                    "-dimensional");
  arch["input_dim"] = input_dim;
  try {
    FillLabels(arch["layers"], num_labels);
  } catch (const Error& e) {
    throw MakeError("--arch ", spec, ": ", e.what());
  }
  return arch.dump();
}

}  // namespace auris::train
