// `auris attach-trim` and `--trim-silence`: the shipped digit classifier with
// trimming names the bundled digit words padded with 2 s of digital silence
// on both sides (an input a per-utterance CMVN model cannot take as it is);
// --off gives the outputs of the same model without trimming exactly; CTC
// models and conflicting flags are refused with clear errors.
#include <doctest/doctest.h>

#include <filesystem>
#include <map>
#include <sstream>

#include <nlohmann/json.hpp>

#include "auris/audio/load.h"
#include "auris/audio/write.h"
#include "auris/modelfile/model_file.h"
#include "cli_support.h"

using namespace auris;
using namespace auris::test;
using nlohmann::json;

namespace {

const char* const kWords[] = {"eight", "five", "four", "nine", "seven", "two", "zero"};

std::string Shipped(const std::string& name) { return SourceDir() + "/data/models/" + name + ".safetensors"; }

// Each bundled word with 2 s of zeros before and after: padded/<word>.wav.
void WritePadded(const TempDir& dir) {
  std::filesystem::create_directories(dir / "padded");
  for (const char* w : kWords) {
    const std::string src = SourceDir() + "/data/samples/" + w + ".wav";
    audio::AudioLoadOptions o;
    o.target_rate_hz = 8000;  // some samples are at 16 kHz
    o.allow_downsample = true;
    std::vector<float> x(16000, 0.0f);
    const std::vector<float> word = audio::LoadForFeatures(src, o);
    x.insert(x.end(), word.begin(), word.end());
    x.resize(x.size() + 16000, 0.0f);
    audio::WriteWav(dir / ("padded/" + std::string(w) + ".wav"), x, 8000);
  }
}

// classify --json lines -> file stem -> (label, score).
std::map<std::string, std::pair<std::string, double>> Classify(const std::string& model, const TempDir& dir) {
  const CliResult r = RunAuris("classify --json --num-threads 1 --model " + model + " padded", dir);
  REQUIRE_MESSAGE(r.status == 0, r.err);
  std::map<std::string, std::pair<std::string, double>> out;
  std::istringstream in(r.out);
  for (std::string line; std::getline(in, line);) {
    const json j = json::parse(line);
    out[std::filesystem::path(j["file"].get<std::string>()).stem()] = {j["label"], j["score"]};
  }
  return out;
}

}  // namespace

TEST_CASE("attach-trim: the shipped classifier names words padded with 2 s of silence, --off undoes it") {
  TempDir dir;
  WritePadded(dir);
  const CliResult a = RunAuris("attach-trim --model " + Shipped("digits") + " --out trim.safetensors", dir);
  REQUIRE_MESSAGE(a.status == 0, a.err);
  const json features = json::parse(modelfile::LoadModel(dir / "trim.safetensors").info.features_json);
  CHECK(features["trim"] == json{{"above_floor_db", 15.0}, {"below_peak_db", 40.0}, {"margin_ms", 200.0}});

  const auto trimmed = Classify("trim.safetensors", dir);
  REQUIRE(trimmed.size() == std::size(kWords));
  for (const char* w : kWords) CHECK_MESSAGE(trimmed.at(w).first == w, w << ": " << trimmed.at(w).first);

  const CliResult off = RunAuris("attach-trim --model trim.safetensors --off --out off.safetensors", dir);
  REQUIRE_MESSAGE(off.status == 0, off.err);
  CHECK_FALSE(json::parse(modelfile::LoadModel(dir / "off.safetensors").info.features_json).contains("trim"));
  // The reference: the shipped model (which trims) with "trim" taken out of its metadata by hand.
  modelfile::LoadedModel untrimmed = modelfile::LoadModel(Shipped("digits"));
  json shipped_features = json::parse(untrimmed.info.features_json);
  REQUIRE(shipped_features.contains("trim"));
  shipped_features.erase("trim");
  untrimmed.info.features_json = shipped_features.dump();
  modelfile::SaveModel(dir / "untrimmed.safetensors", *untrimmed.model, untrimmed.info);
  const auto reference = Classify("untrimmed.safetensors", dir);
  CHECK(Classify("off.safetensors", dir) == reference);
  CHECK(reference != trimmed);  // trimming changes these outputs: the comparison can fail
}

TEST_CASE("attach-trim and --trim-silence: clear errors") {
  TempDir dir;
  const CliResult ctc = RunAuris("attach-trim --model " + Shipped("digits-ctc") + " --out x.safetensors", dir);
  CHECK(ctc.status != 0);
  CHECK_MESSAGE(ctc.err.find("digits-ctc.safetensors: trimming is for classifiers") != std::string::npos, ctc.err);
  CHECK_FALSE(std::filesystem::exists(dir / "x.safetensors"));
  const CliResult both = RunAuris("attach-trim --model " + Shipped("digits") + " --off --margin-ms 50 --out x.safetensors", dir);
  CHECK(both.status != 0);
  CHECK_MESSAGE(both.err.find("--margin-ms") != std::string::npos, both.err);
  const CliResult bad = RunAuris("attach-trim --model " + Shipped("digits") + " --margin-ms -5 --out x.safetensors", dir);
  CHECK(bad.status != 0);
  CHECK_MESSAGE(bad.err.find("margin_ms -5") != std::string::npos, bad.err);
  const CliResult needs = RunAuris("features --trim-margin-ms 50 " + SourceDir() + "/data/samples/two.wav ark:x.ark", dir);
  CHECK(needs.status != 0);
  CHECK_MESSAGE(needs.err.find("--trim-silence") != std::string::npos, needs.err);
}
