// The shipped connected-digit CTC model (data/models/digits-ctc.safetensors,
// trained by recipes/fsdd-ctc/run.sh on FSDD takes 5-49, synthetic voices
// and AN4's training speakers): test set (a) — strings of takes 0-4 of all
// six speakers, built here exactly as the recipe builds it — and the bundled
// digit string. Floors are the recipe's measured figures (its README) with a
// small margin for other CPUs' rounding; AN4's test speakers are in
// shipped_an4_test.cc.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "cli_support.h"

using namespace auris;
using namespace auris::test;
using nlohmann::json;
namespace fs = std::filesystem;

namespace {

std::string Model() { return SourceDir() + "/data/models/digits-ctc.safetensors"; }

struct Take {
  std::string id, path, word, speaker;  // id as recipes/fsdd-ctc/make_singles.sh: "<speaker>-<digit>_<take>"
};

// FSDD's takes 0-4 (never trained on), in id order (C sort, as the recipe).
std::vector<Take> TestTakes(const std::string& fsdd) {
  const char* words[] = {"zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"};
  std::vector<Take> takes;
  for (const auto& e : fs::directory_iterator(fsdd)) {
    const std::string name = e.path().stem().string();  // digit_speaker_take
    const std::size_t a = name.find('_'), b = name.rfind('_');
    if (std::stoi(name.substr(b + 1)) >= 5) continue;
    const std::string speaker = name.substr(a + 1, b - a - 1);
    takes.push_back({speaker + "-" + name.substr(0, a) + "_" + name.substr(b + 1), e.path().string(),
                     words[name[0] - '0'], speaker});
  }
  std::sort(takes.begin(), takes.end(), [](const Take& x, const Take& y) { return x.id < y.id; });
  return takes;
}

}  // namespace

// Test set (a): measured 0.76% WER and 95.8% of words with both ends within
// 100 ms (issue #5's targets: <= 1% and >= 90%).
TEST_CASE("shipped CTC model: test set (a), WER and word timing") {
  const std::string fsdd = FsddDir();
  AURIS_SKIP_IF(fsdd.empty(), "FSDD not found at ../shared/data/fsdd/recordings");
  TempDir dir;
  fs::create_directories(dir.path() / "singles");
  std::ofstream scp(dir / "singles/wav.scp"), text(dir / "singles/text"), spk(dir / "singles/utt2spk");
  const std::vector<Take> takes = TestTakes(fsdd);
  for (const Take& t : takes) {
    scp << t.id << " " << t.path << "\n";
    text << t.id << " " << t.word << "\n";
    spk << t.id << " " << t.speaker << "\n";
  }
  const int n = static_cast<int>(takes.size());
  scp.close(), text.close(), spk.close();
  REQUIRE(n == 300);
  const auto mk = RunAuris("make-digits --data kaldi:singles --out test --num-utts 300 --seed 2 --sample-frequency 8000", dir);
  REQUIRE_MESSAGE(mk.status == 0, mk.err);
  const auto ev = RunAuris("eval -q --num-threads 2 --json --model " + Model() + " --data kaldi:test", dir);
  REQUIRE_MESSAGE(ev.status == 0, ev.err);
  const json j = json::parse(ev.out);
  MESSAGE("test set (a): WER " << j["wer"].get<double>() * 100 << "%, both ends within 100 ms "
                               << j["timing"]["both_within"].get<double>() * 100 << "%");
  CHECK(j["n_utts"] == 300);
  CHECK(j["wer"].get<double>() <= 0.01);
  CHECK(j["timing"]["both_within"].get<double>() >= 0.93);
}

// FSDD's recordings are trimmed tight around the word: a causal model hears
// the end of the word only with the tail silence the Recognizer appends
// (kCtcTailSilenceMs). Measured: 291 of the 300 takes 0-4 right (the model
// before AN4 joined its training: 299; without the tail, 274).
TEST_CASE("shipped CTC model: isolated digits of takes 0-4, each file ending with its word") {
  const std::string fsdd = FsddDir();
  AURIS_SKIP_IF(fsdd.empty(), "FSDD not found at ../shared/data/fsdd/recordings");
  TempDir dir;
  std::ofstream list(dir / "takes.list");
  std::map<std::string, std::string> truth;
  for (const Take& t : TestTakes(fsdd)) {
    list << t.path << "\n";
    truth[t.path] = t.word;
  }
  list.close();
  REQUIRE(truth.size() == 300);
  const auto r = RunAuris("transcribe --num-threads 2 --model " + Model() + " list:takes.list", dir);
  REQUIRE_MESSAGE(r.status == 0, r.err);
  std::istringstream in(r.out);
  int right = 0, lines = 0;
  for (std::string line; std::getline(in, line); ++lines) {
    const std::size_t tab = line.find('\t');
    REQUIRE(tab != std::string::npos);
    const std::string file = line.substr(0, tab), text = line.substr(tab + 1);
    REQUIRE(truth.contains(file));
    if (text == truth[file]) ++right;
    else MESSAGE(file << ": \"" << text << "\", expected " << truth[file]);
  }
  MESSAGE(right << " of " << lines << " isolated digits right");
  CHECK(lines == 300);
  CHECK(right >= 296);  // 98.7% (measured 299)
}

// The same model as a classifier of isolated words: each take scored by
// P(word | audio) over all its CTC alignments (auris eval --isolated-words).
// Issue #4's official-split target is >= 99.7%, i.e. no error in 300;
// measured: 294 of 300 (the model before AN4 joined its training: 300).
TEST_CASE("shipped CTC model: FSDD official test split as isolated words, accuracy >= 99%") {
  const std::string fsdd = FsddDir();
  AURIS_SKIP_IF(fsdd.empty(), "FSDD not found at ../shared/data/fsdd/recordings");
  TempDir dir;
  std::ofstream list(dir / "takes.list");
  for (const Take& t : TestTakes(fsdd)) list << t.path << " " << t.word << "\n";
  list.close();
  const auto r = RunAuris("eval -q --isolated-words --json --num-threads 2 --model " + Model() + " --data list:takes.list", dir);
  REQUIRE_MESSAGE(r.status == 0, r.err);
  const json j = json::parse(r.out);
  INFO("errors: " << j["errors"].dump());
  MESSAGE("official split as isolated words: " << j["accuracy"].get<double>() * 100 << "%");
  CHECK(j["n"] == 300);
  CHECK(j["labels"].size() == 11);  // the words with "oh", not the blank
  CHECK(j["accuracy"].get<double>() >= 0.99);  // measured 99.67%
}

// auris classify on a CTC model: the bundled single-digit samples.
TEST_CASE("shipped CTC model: auris classify labels the bundled digit samples") {
  TempDir dir;
  std::ifstream samples(SourceDir() + "/data/samples/digits.list");
  std::string files;
  std::map<std::string, std::string> truth;
  for (std::string file, label; samples >> file >> label;) {
    const std::string path = SourceDir() + "/data/samples/" + file;
    files += " " + path;
    truth[path] = label;
  }
  REQUIRE(truth.size() >= 4);
  // --top-k beyond the vocabulary: all eleven words ("oh" too), the blank is not a class.
  const auto r = RunAuris("classify --json --top-k 20 --model " + Model() + files, dir);
  REQUIRE_MESSAGE(r.status == 0, r.err);
  std::istringstream in(r.out);
  int lines = 0;
  for (std::string line; std::getline(in, line); ++lines) {
    const json j = json::parse(line);
    CAPTURE(line);
    CHECK(j["label"] == truth[j["file"].get<std::string>()]);
    REQUIRE(j["top"].size() == 11);
    double sum = 0;
    for (const json& t : j["top"]) {
      sum += t["score"].get<double>();
      CHECK(t["label"] != "<blk>");
    }
    CHECK(sum == doctest::Approx(1.0).epsilon(1e-5));
    CHECK(j["top"][0]["label"] == j["label"]);
  }
  CHECK(lines == static_cast<int>(truth.size()));
}

TEST_CASE("shipped CTC model: the bundled digit string, text and word times") {
  TempDir dir;
  const std::string sample = SourceDir() + "/data/samples/digit_string.wav";
  const auto r = RunAuris("transcribe --json --model " + Model() + " " + sample, dir);
  REQUIRE_MESSAGE(r.status == 0, r.err);
  const json j = json::parse(r.out);
  const std::vector<SampleWord> truth = SampleWords();
  const std::string expected = SampleText();
  REQUIRE(truth.size() >= 4);
  CHECK(j["text"] == expected);
  REQUIRE(j["words"].size() == truth.size());
  for (std::size_t i = 0; i < truth.size(); ++i) {
    CAPTURE(i);
    CHECK(std::abs(j["words"][i]["start"].get<double>() - truth[i].start_s) <= 0.1);
    CHECK(std::abs(j["words"][i]["end"].get<double>() - truth[i].end_s) <= 0.1);
  }
}
