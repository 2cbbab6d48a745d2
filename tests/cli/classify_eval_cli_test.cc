// End-to-end tests of `auris classify` and `auris eval`: output formats, input
// order with several threads, bad files, and eval's counts recomputed here
// from classify's predictions of the same files; plus the PyTorch-made model
// of tests/reference/make_recognizer.py through the command line.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include <nlohmann/json.hpp>

#include "auris/io/npy.h"
#include "auris/modelfile/model_file.h"
#include "auris/pipeline/feature_config.h"
#include "cli_support.h"
#include "tolerances.h"

using namespace auris;
using namespace auris::test;
using nlohmann::json;

namespace {

const std::vector<std::string> kLabels = {"a", "b", "c"};

// A random (seeded) 8 kHz fbank classifier over three labels.
void WriteModel(const std::string& path) {
  pipeline::FeaturePipelineOptions o;
  o.features.type = "fbank";
  o.features.fbank.frame.sample_frequency_hz = 8000;
  o.features.fbank.mel.num_bins = 15;
  o.cmvn = pipeline::CmvnMode::kUtterance;
  nn::Model model(R"({"input_dim": 15, "layers": [{"type": "lstm", "hidden": 12},
                      {"type": "attention_pool"}, {"type": "linear", "out": 3}]})",
                  21);
  modelfile::ModelInfo info;
  info.labels = kLabels;
  info.features_json = pipeline::FeatureConfigToJson(o);
  info.extra["task"] = "classify";
  modelfile::SaveModel(path, model, info);
}

// Six short files at 8 and 16 kHz: f0.wav ... f5.wav.
std::vector<std::string> MakeFiles(const TempDir& dir) {
  std::vector<std::string> names;
  for (int i = 0; i < 6; ++i) {
    names.push_back("f" + std::to_string(i) + ".wav");
    WriteTestWav(dir / names.back(), 0.3 + 0.05 * i, i % 2 ? 16000 : 8000, 10 + 7 * i);
  }
  return names;
}

std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);)
    if (!line.empty()) lines.push_back(line);
  return lines;
}

std::string Join(const std::vector<std::string>& v) {
  std::string s;
  for (const auto& x : v) s += " " + x;
  return s;
}

}  // namespace

TEST_CASE("classify: text and JSON lines, top-k sorted, input order kept with 2 threads") {
  TempDir dir;
  WriteModel(dir / "m.safetensors");
  const std::vector<std::string> files = MakeFiles(dir);

  const auto js = RunAuris("classify --model m.safetensors --top-k 3 --json --num-threads 2" + Join(files), dir);
  REQUIRE_MESSAGE(js.status == 0, js.err);
  const std::vector<std::string> jl = Lines(js.out);
  REQUIRE(jl.size() == files.size());
  std::vector<json> results;
  for (std::size_t i = 0; i < jl.size(); ++i) {
    const json j = json::parse(jl[i]);
    CHECK(j["file"] == files[i]);  // input order, whatever thread finished first
    REQUIRE(j["top"].size() == 3);
    double sum = 0, prev = 2;
    std::set<std::string> seen;
    for (const json& t : j["top"]) {
      const double s = t["score"];
      CHECK(s <= prev);
      CHECK(s >= 0);
      prev = s;
      sum += s;
      seen.insert(t["label"].get<std::string>());
    }
    CHECK(seen == std::set<std::string>(kLabels.begin(), kLabels.end()));
    CHECK(sum <= 1 + 1e-6);
    CHECK(sum >= 1 - 1e-5);  // all three labels: the whole distribution
    CHECK(j["label"] == j["top"][0]["label"]);
    CHECK(j["score"] == j["top"][0]["score"]);
    results.push_back(j);
  }

  // Text: file TAB label prob [TAB label prob]; same predictions as JSON.
  const auto tx = RunAuris("classify --model m.safetensors -k 2 --num-threads 2" + Join(files), dir);
  REQUIRE_MESSAGE(tx.status == 0, tx.err);
  const std::vector<std::string> tl = Lines(tx.out);
  REQUIRE(tl.size() == files.size());
  for (std::size_t i = 0; i < tl.size(); ++i) {
    std::istringstream line(tl[i]);
    std::string file, label1, label2;
    double p1 = 0, p2 = 0;
    std::getline(line, file, '\t');
    line >> label1 >> p1 >> label2 >> p2;
    CHECK(file == files[i]);
    CHECK(label1 == results[i]["top"][0]["label"]);
    CHECK(label2 == results[i]["top"][1]["label"]);
    CHECK(std::abs(p1 - results[i]["top"][0]["score"].get<double>()) <= 5e-4 + 1e-9);  // 3 decimals
    CHECK(p1 >= p2);
    CHECK(p1 + p2 <= 1.001);  // printed with 3 decimals
  }
}

TEST_CASE("classify: a corrupt file among good ones gets an error line, the others are classified, exit 1") {
  TempDir dir;
  WriteModel(dir / "m.safetensors");
  const std::vector<std::string> files = MakeFiles(dir);
  std::string bytes = ReadFile(dir / files[0]);
  for (int i = 8; i < 40; ++i) bytes[i] = 'x';
  WriteFile(dir / "broken.wav", bytes);
  const auto r = RunAuris("classify --model m.safetensors --json --num-threads 2 f0.wav broken.wav f1.wav missing.wav f2.wav", dir);
  CHECK(r.status == 1);
  INFO(r.err);
  const std::vector<std::string> lines = Lines(r.out);
  REQUIRE(lines.size() == 3);
  CHECK(json::parse(lines[0])["file"] == "f0.wav");
  CHECK(json::parse(lines[1])["file"] == "f1.wav");
  CHECK(json::parse(lines[2])["file"] == "f2.wav");
  CHECK(LinesWith(r.err, "error:").size() == 2);
  CHECK(LinesWith(r.err, "broken.wav").size() == 1);
  CHECK(LinesWith(r.err, "missing.wav").size() == 1);
  CHECK(LinesWith(r.err, "2 of 5 inputs failed").size() == 1);
}

TEST_CASE("eval --json: counts agree with classify's predictions of the same files") {
  TempDir dir;
  WriteModel(dir / "m.safetensors");
  const std::vector<std::string> files = MakeFiles(dir);
  const auto cl = RunAuris("classify --model m.safetensors --json --num-threads 2" + Join(files), dir);
  REQUIRE_MESSAGE(cl.status == 0, cl.err);
  const std::vector<std::string> lines = Lines(cl.out);
  REQUIRE(lines.size() == files.size());

  // True labels: files 0, 2, 3 get their predicted label, the others another one.
  std::vector<std::string> truth, predicted;
  std::map<std::string, int> index = {{"a", 0}, {"b", 1}, {"c", 2}};
  std::ofstream list(dir / "data.lst");
  for (std::size_t i = 0; i < files.size(); ++i) {
    predicted.push_back(json::parse(lines[i])["label"].get<std::string>());
    const bool right = i == 0 || i == 2 || i == 3;
    truth.push_back(right ? predicted[i] : kLabels[(index[predicted[i]] + 1 + i % 2) % 3]);
    list << files[i] << " " << truth[i] << "\n";
  }
  list << "broken.wav a\n";  // unreadable: reported, not counted
  list.close();
  WriteFile(dir / "broken.wav", "not audio");

  const auto ev = RunAuris("eval --model m.safetensors --data list:data.lst --json --num-threads 2", dir);
  CHECK(ev.status == 1);
  CHECK_MESSAGE(LinesWith(ev.err, "broken.wav").size() == 1, ev.err);
  const json j = json::parse(ev.out);
  for (const char* key : {"accuracy", "n", "labels", "per_class", "confusion", "errors"})
    CHECK_MESSAGE(j.contains(key), key);
  CHECK(j["n"] == 6);
  CHECK(j["labels"].get<std::vector<std::string>>() == kLabels);
  CHECK(j["accuracy"].get<double>() == doctest::Approx(3.0 / 6));

  // --json-out: one evaluation gives the text report on stdout and the same JSON in the file.
  const auto both = RunAuris("eval --model m.safetensors --data list:data.lst --json-out out.json -q", dir);
  CHECK(both.status == 1);
  CHECK_MESSAGE(LinesWith(both.out, "accuracy 50.00% (3 of 6)").size() == 1, both.out);
  CHECK(json::parse(ReadFile(dir / "out.json")) == j);

  int counts[3][3] = {};
  for (std::size_t i = 0; i < files.size(); ++i) ++counts[index[truth[i]]][index[predicted[i]]];
  for (int t = 0; t < 3; ++t) {
    int support = 0, pred = 0;
    for (int p = 0; p < 3; ++p) {
      CHECK(j["confusion"][t][p] == counts[t][p]);
      support += counts[t][p];
      pred += counts[p][t];
    }
    const json& pc = j["per_class"][kLabels[t]];
    CHECK(pc["n"] == support);
    CHECK(pc["recall"].get<double>() == doctest::Approx(support ? double(counts[t][t]) / support : 0));
    CHECK(pc["precision"].get<double>() == doctest::Approx(pred ? double(counts[t][t]) / pred : 0));
  }
  // The misclassified files, in list order, with classify's prediction.
  REQUIRE(j["errors"].size() == 3);
  std::size_t k = 0;
  for (std::size_t i = 0; i < files.size(); ++i) {
    if (truth[i] == predicted[i]) continue;
    CHECK(j["errors"][k]["file"].get<std::string>().ends_with(files[i]));
    CHECK(j["errors"][k]["label"] == truth[i]);
    CHECK(j["errors"][k]["predicted"] == predicted[i]);
    ++k;
  }
}

TEST_CASE("classify: the PyTorch-made model gives torch's probabilities through the command line") {
  AURIS_REQUIRE_REF(model, "recognizer_model.safetensors");
  const std::vector<double> probs = io::ReadNpy(RefFile("recognizer_probs.npy")).values;
  TempDir dir;
  const auto r = RunAuris("classify --model '" + model + "' --json --top-k 4 '" + RefFile("recognizer_stereo8k.wav") +
                              "' '" + RefFile("recognizer_mono16k.wav") + "'",
                          dir);
  REQUIRE_MESSAGE(r.status == 0, r.err);
  const std::vector<std::string> lines = Lines(r.out);
  REQUIRE(lines.size() == 2);
  const json stereo = json::parse(lines[0]);
  const std::vector<std::string> labels = {"a", "b", "c", "d"};
  for (const json& t : stereo["top"]) {
    const auto c = std::find(labels.begin(), labels.end(), t["label"]) - labels.begin();
    CHECK(std::abs(t["score"].get<double>() - probs[c]) <= tol::kRecognizerProbAbs);
  }
  const auto best = std::max_element(probs.begin(), probs.end()) - probs.begin();
  CHECK(stereo["label"] == labels[best]);
  CHECK(json::parse(lines[1])["label"] == labels[best]);  // 16 kHz input, resampled
}
