#include "auris/pipeline/feature_config.h"

#include <algorithm>
#include <initializer_list>

#include <nlohmann/json.hpp>

#include "auris/core/error.h"
#include "auris/core/json_number.h"
#include "auris/dsp/option_table.h"

namespace auris::pipeline {

using nlohmann::json;

namespace {

json StatsToJson(const MatrixD& stats) {
  json rows = json::array();
  for (Eigen::Index r = 0; r < stats.rows(); ++r) {
    json row = json::array();
    for (Eigen::Index c = 0; c < stats.cols(); ++c) row.push_back(stats(r, c));
    rows.push_back(row);
  }
  return rows;
}

MatrixD StatsFromJson(const json& j) {
  if (!j.is_array() || j.size() != 2 || !j[0].is_array() || !j[1].is_array() || j[0].size() != j[1].size())
    throw MakeError("cmvn.stats must be two rows of equal length");
  MatrixD stats(2, static_cast<Eigen::Index>(j[0].size()));
  for (int r = 0; r < 2; ++r)
    for (std::size_t c = 0; c < j[r].size(); ++c) stats(r, static_cast<Eigen::Index>(c)) = JsonNumber<double>(j[r][c]);
  return stats;
}

// Unknown keys are errors, so a typo or a field this version does not apply
// cannot silently change the features.
void CheckKeys(const json& j, const std::string& what, std::initializer_list<const char*> allowed) {
  if (!j.is_object()) throw MakeError(what, " must be a JSON object");
  for (const auto& item : j.items()) {
    const std::string& key = item.key();  // a named variable: clang < 16 cannot capture a structured binding
    if (std::find_if(allowed.begin(), allowed.end(), [&](const char* a) { return key == a; }) == allowed.end())
      throw MakeError("unknown key \"", key, "\" in ", what);
  }
}

}  // namespace

audio::AudioLoadOptions ModelAudioOptions(double sample_rate_hz) {
  audio::AudioLoadOptions a;
  a.target_rate_hz = sample_rate_hz;
  a.channel = audio::kMixChannels;
  a.allow_downsample = a.allow_upsample = true;
  return a;
}

std::string FeatureConfigToJson(const FeaturePipelineOptions& o) {
  json j;
  j["features"] = json::parse(dsp::ToJson(o.features));
  if (o.add_deltas) j["deltas"] = {{"order", o.deltas.order}, {"window", o.deltas.window_frames}};
  else j["deltas"] = nullptr;
  json c;
  switch (o.cmvn) {
    case CmvnMode::kNone: c["mode"] = "none"; break;
    case CmvnMode::kUtterance:
      c = {{"mode", "utterance"}, {"norm_means", o.cmvn_options.norm_means}, {"norm_vars", o.cmvn_options.norm_vars}};
      break;
    case CmvnMode::kSliding:
      c = {{"mode", "sliding"}, {"cmn_window", o.sliding.cmn_window_frames},
           {"min_cmn_window", o.sliding.min_cmn_window_frames}, {"center", o.sliding.center},
           {"norm_vars", o.sliding.norm_vars}};
      break;
    case CmvnMode::kGlobal:
      c = {{"mode", "global"}, {"norm_means", o.cmvn_options.norm_means}, {"norm_vars", o.cmvn_options.norm_vars},
           {"stats", StatsToJson(o.global_stats)}};
      break;
    case CmvnMode::kOnline:
      c = {{"mode", "online"}, {"cmn_window", o.online.cmn_window_frames},
           {"global_frames", o.online.global_frames}, {"norm_vars", o.online.norm_vars},
           {"stats", StatsToJson(o.global_stats)}};
      break;
  }
  j["cmvn"] = c;
  if (o.trim)  // only when set: files without it read as before
    j["trim"] = {{"above_floor_db", o.trim->above_floor_db}, {"below_peak_db", o.trim->below_peak_db},
                 {"margin_ms", o.trim->margin_ms}};
  return j.dump();
}

FeaturePipelineOptions FeatureConfigFromJson(const std::string& text) {
  FeaturePipelineOptions o;
  try {
    const json j = json::parse(text);
    if (!j.is_object()) throw MakeError("not a JSON object");
    for (const auto& [key, value] : j.items())
      if (key != "features" && key != "deltas" && key != "cmvn" && key != "trim")
        throw MakeError("unknown key \"", key, "\"");
    if (!j.contains("features")) throw MakeError("missing \"features\"");
    o.features = dsp::FromJson(j.at("features").dump());
    if (j.contains("deltas") && !j.at("deltas").is_null()) {
      CheckKeys(j.at("deltas"), "deltas", {"order", "window"});
      o.add_deltas = true;
      o.deltas.order = JsonNumber<int>(j.at("deltas").at("order"));
      o.deltas.window_frames = JsonNumber<int>(j.at("deltas").at("window"));
    }
    if (j.contains("cmvn")) {
      const json& c = j.at("cmvn");
      const std::string mode = c.at("mode").get<std::string>();
      // norm_means is optional: files written before it was stored normalised the means.
      const auto norm_means = [&] { return c.contains("norm_means") ? c.at("norm_means").get<bool>() : true; };
      if (mode == "none") {
        CheckKeys(c, "cmvn", {"mode"});
        o.cmvn = CmvnMode::kNone;
      } else if (mode == "utterance") {
        CheckKeys(c, "cmvn", {"mode", "norm_means", "norm_vars"});
        o.cmvn = CmvnMode::kUtterance;
        o.cmvn_options.norm_means = norm_means();
        o.cmvn_options.norm_vars = c.at("norm_vars").get<bool>();
      } else if (mode == "sliding") {
        CheckKeys(c, "cmvn", {"mode", "cmn_window", "min_cmn_window", "center", "norm_vars"});
        o.cmvn = CmvnMode::kSliding;
        o.sliding.cmn_window_frames = JsonNumber<int>(c.at("cmn_window"));
        o.sliding.min_cmn_window_frames = JsonNumber<int>(c.at("min_cmn_window"));
        o.sliding.center = c.at("center").get<bool>();
        o.sliding.norm_vars = c.at("norm_vars").get<bool>();
      } else if (mode == "global") {
        CheckKeys(c, "cmvn", {"mode", "norm_means", "norm_vars", "stats"});
        o.cmvn = CmvnMode::kGlobal;
        o.cmvn_options.norm_means = norm_means();
        o.cmvn_options.norm_vars = c.at("norm_vars").get<bool>();
        o.global_stats = StatsFromJson(c.at("stats"));
      } else if (mode == "online") {
        CheckKeys(c, "cmvn", {"mode", "cmn_window", "global_frames", "norm_vars", "stats"});
        o.cmvn = CmvnMode::kOnline;
        o.online.cmn_window_frames = JsonNumber<int>(c.at("cmn_window"));
        o.online.global_frames = JsonNumber<int>(c.at("global_frames"));
        o.online.norm_vars = c.at("norm_vars").get<bool>();
        o.global_stats = StatsFromJson(c.at("stats"));
      } else {
        throw MakeError("unknown cmvn mode \"", mode, "\"");
      }
    }
    if (j.contains("trim")) {
      const json& t = j.at("trim");
      CheckKeys(t, "trim", {"above_floor_db", "below_peak_db", "margin_ms"});
      o.trim = dsp::SpeechTrimOptions{.above_floor_db = JsonNumber<double>(t.at("above_floor_db")),
                                      .below_peak_db = JsonNumber<double>(t.at("below_peak_db")),
                                      .margin_ms = JsonNumber<double>(t.at("margin_ms"))};
    }
    o.audio = ModelAudioOptions(o.features.Frame().sample_frequency_hz);
    o.Validate();
  } catch (const json::exception& e) {
    throw MakeError("feature configuration: ", e.what());
  } catch (const Error& e) {
    throw MakeError("feature configuration: ", e.what());
  }
  return o;
}

}  // namespace auris::pipeline
