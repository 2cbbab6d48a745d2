#include "plot_reports.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <sstream>

#include "auris/core/error.h"

namespace auris::cli {
namespace {

using nlohmann::json;

std::string ReadText(const std::string& path) {
  std::ostringstream os;
  if (path == "-") {
    os << std::cin.rdbuf();
    return os.str();
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) throw MakeError(path, ": cannot open (", std::strerror(errno), ")");
  os << in.rdbuf();
  return os.str();
}

std::string Name(const std::string& path) { return path == "-" ? "<stdin>" : path; }

json ParseJson(const std::string& text, const std::string& where) {
  try {
    return json::parse(text);
  } catch (const json::parse_error& e) {
    throw MakeError(where, ": not JSON (", e.what(), ")");
  }
}

std::string Percent(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f%%", 100 * v);
  return buf;
}

}  // namespace

plot::Figure ConfusionFigure(const std::string& path, plot::FigureOptions options) {
  const std::string name = Name(path);
  const json j = ParseJson(ReadText(path), name);
  const auto shape_error = [&](const std::string& what) {
    return MakeError(name, ": not an `auris eval --json` report: ", what);
  };
  if (!j.is_object()) throw shape_error("expected a JSON object");
  if (!j.contains("labels") || !j["labels"].is_array() || j["labels"].empty())
    throw shape_error("\"labels\" must be a non-empty array of strings");
  plot::LabelledMatrix m;
  for (const json& l : j["labels"]) {
    if (!l.is_string()) throw shape_error("\"labels\" must be a non-empty array of strings");
    m.row_labels.push_back(l.get<std::string>());
  }
  m.col_labels = m.row_labels;
  const int n = static_cast<int>(m.row_labels.size());
  if (!j.contains("confusion") || !j["confusion"].is_array() || static_cast<int>(j["confusion"].size()) != n)
    throw shape_error("\"confusion\" must be " + std::to_string(n) + " rows (one per label)");
  m.values.resize(n, n);
  for (int r = 0; r < n; ++r) {
    const json& row = j["confusion"][r];
    if (!row.is_array() || static_cast<int>(row.size()) != n)
      throw shape_error("row " + std::to_string(r) + " of \"confusion\" must have " + std::to_string(n) + " numbers");
    for (int c = 0; c < n; ++c) {
      if (!row[c].is_number() || row[c].get<double>() < 0)
        throw shape_error("\"confusion\"[" + std::to_string(r) + "][" + std::to_string(c) +
                          "] must be a count >= 0");
      m.values(r, c) = row[c].get<float>();
    }
  }
  m.row_title = "true label";
  m.col_title = "predicted label";
  m.value_label = "fraction of the true label";
  m.cell_px = std::clamp(560.0 / n, 26.0, 48.0);
  if (options.title.empty()) {
    options.title = "Confusion matrix";
    if (j.contains("accuracy") && j["accuracy"].is_number()) {
      options.title += ": accuracy " + Percent(j["accuracy"].get<double>());
      if (j.contains("n") && j["n"].is_number_integer())
        options.title += " of " + std::to_string(j["n"].get<long long>());
    }
  }
  plot::Figure fig(options);
  fig.Add(std::move(m));
  return fig;
}

namespace {

// Which panel a log key goes to: 0 losses, 1 accuracies / error rates,
// 2 learning rate, 3 anything else (a panel each).
int Group(const std::string& key) {
  if (key.find("loss") != std::string::npos) return 0;
  for (const char* m : {"acc", "wer", "cer", "err"})
    if (key.find(m) != std::string::npos) return 1;
  if (key == "lr" || key == "learning_rate") return 2;
  return 3;
}

// "valid_loss" -> "valid loss", "elapsed_s" -> "elapsed (s)", "frames_per_s" -> "frames / s".
std::string Pretty(std::string key) {
  for (std::size_t at; (at = key.find("_per_")) != std::string::npos;) key.replace(at, 5, " / ");
  if (key.ends_with("_s")) key.replace(key.size() - 2, 2, " (s)");
  std::replace(key.begin(), key.end(), '_', ' ');
  return key;
}

}  // namespace

plot::Figure CurvesFigure(const std::string& path, plot::FigureOptions options) {
  const std::string name = Name(path);
  std::istringstream in(ReadText(path));
  std::vector<std::string> keys;  // in order of first appearance
  std::map<std::string, plot::Series> series;
  bool epochs = true;
  std::string line;
  int line_no = 0, records = 0;
  while (std::getline(in, line)) {
    ++line_no;
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    const json j = ParseJson(line, name + ":" + std::to_string(line_no));
    if (!j.is_object())
      throw MakeError(name, ":", line_no, ": not a training log record (expected one JSON object per line)");
    ++records;
    const bool has_epoch = j.contains("epoch") && j["epoch"].is_number();
    epochs = epochs && has_epoch;
    const double x = has_epoch ? j["epoch"].get<double>() : records;
    for (const auto& [key, value] : j.items()) {
      if (key == "epoch" || !value.is_number()) continue;
      if (!series.count(key)) keys.push_back(key), series[key].name = Pretty(key);
      series[key].x.push_back(x);
      series[key].y.push_back(value.get<double>());
    }
  }
  if (records == 0) throw MakeError(name, ": empty training log (expected JSON lines, one object per epoch)");
  if (keys.empty()) throw MakeError(name, ": no numeric values in the training log");

  const std::string x_label = epochs ? "epoch" : "record";
  std::vector<plot::LinePlot> panels(3);
  std::vector<plot::LinePlot> others;
  for (const std::string& key : keys) {
    plot::Series& s = series[key];
    const int g = Group(key);
    plot::LinePlot* p = nullptr;
    if (g < 3) {
      p = &panels[g];
    } else {
      others.emplace_back();
      p = &others.back();
      p->y_label = Pretty(key);
      p->height_px = 150;
    }
    p->series.push_back(std::move(s));
  }
  bool acc = false, err = false;
  for (const std::string& key : keys)
    if (Group(key) == 1) (key.find("acc") != std::string::npos ? acc : err) = true;
  panels[0].y_label = "loss";
  panels[1].y_label = acc && err ? "accuracy / error rate" : acc ? "accuracy" : "error rate";
  panels[2].y_label = "learning rate";
  panels[2].height_px = 150;
  if (options.title.empty())
    options.title = "Training: " + (path == "-" ? name : std::filesystem::path(path).filename().string());
  plot::Figure fig(options);
  for (auto* group : {&panels, &others})
    for (plot::LinePlot& p : *group) {
      if (p.series.empty()) continue;
      // A lone learning-rate or other curve is named by its y label already.
      if (&p != &panels[0] && &p != &panels[1] && p.series.size() == 1) p.series[0].name.clear();
      p.x_label = x_label;
      p.integer_x = true;
      p.markers = records <= 60;
      fig.Add(std::move(p));
    }
  return fig;
}

}  // namespace auris::cli
