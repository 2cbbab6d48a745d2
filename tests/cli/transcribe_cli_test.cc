// End-to-end tests of `auris transcribe` and `auris eval` on a CTC model:
// the three output formats agree, input order is kept, bad files are
// reported without losing the others, and eval's WER / SER / timing counts
// equal what follows from transcribe's output of the same files (references
// built from it with known edits and known time offsets).
#include <doctest/doctest.h>

#include <cmath>
#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "auris/modelfile/model_file.h"
#include "auris/pipeline/feature_config.h"
#include "cli_support.h"

using namespace auris;
using namespace auris::test;
using nlohmann::json;

namespace {

// A random (seeded) 8 kHz fbank CTC model over three words (or three
// characters) with a boundary head.
void WriteCtcModel(const std::string& path, bool chars = false) {
  pipeline::FeaturePipelineOptions o;
  o.features.type = "fbank";
  o.features.fbank.frame.sample_frequency_hz = 8000;
  o.features.fbank.mel.num_bins = 15;
  o.cmvn = pipeline::CmvnMode::kUtterance;
  nn::Model model(R"({"input_dim": 15, "layers": [{"type": "lstm", "hidden": 12}, {"type": "linear", "out": 7}]})", 3);
  modelfile::ModelInfo info;
  info.labels = chars ? std::vector<std::string>{"<blk>", "a", "b", "|"}
                      : std::vector<std::string>{"<blk>", "one", "three", "two"};
  info.features_json = pipeline::FeatureConfigToJson(o);
  info.extra["task"] = "ctc";
  info.extra["units"] = chars ? "chars" : "words";
  info.extra["boundary_head"] = "outside onset inside";
  modelfile::SaveModel(path, model, info);
}

std::vector<std::string> MakeFiles(const TempDir& dir, int n) {
  std::vector<std::string> names;
  for (int i = 0; i < n; ++i) {
    names.push_back("u" + std::to_string(i) + ".wav");
    WriteTestWav(dir / names.back(), 1.0 + 0.3 * i, i % 2 ? 16000 : 8000, 40 + 3 * i);
  }
  return names;
}

std::string Join(const std::vector<std::string>& v) {
  std::string s;
  for (const auto& x : v) s += " " + x;
  return s;
}

std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

// Output lines of `auris <command> -m ctc.safetensors --json <files>` in dir,
// which must succeed.
std::vector<std::string> JsonLines(const TempDir& dir, const std::string& command,
                                   const std::vector<std::string>& files) {
  const auto r = RunAuris(command + " -m ctc.safetensors --json" + Join(files), dir);
  REQUIRE_MESSAGE(r.status == 0, r.err);
  return Lines(r.out);
}

}  // namespace

TEST_CASE("transcribe: text, CTM and JSON lines agree, input order kept with 2 threads") {
  TempDir dir;
  WriteCtcModel(dir / "ctc.safetensors");
  const std::vector<std::string> files = MakeFiles(dir, 5);
  const auto js = RunAuris("transcribe -m ctc.safetensors --json --num-threads 2" + Join(files), dir);
  REQUIRE_MESSAGE(js.status == 0, js.err);
  const auto tx = RunAuris("transcribe -m ctc.safetensors --num-threads 2" + Join(files), dir);
  REQUIRE_MESSAGE(tx.status == 0, tx.err);
  const auto ctm = RunAuris("transcribe -m ctc.safetensors --timestamps" + Join(files), dir);
  REQUIRE_MESSAGE(ctm.status == 0, ctm.err);
  const std::vector<std::string> jl = Lines(js.out), tl = Lines(tx.out), cl = Lines(ctm.out);
  REQUIRE(jl.size() == files.size());
  REQUIRE(tl.size() == files.size());
  std::size_t c = 0, total_words = 0;
  for (std::size_t i = 0; i < files.size(); ++i) {
    const json j = json::parse(jl[i]);
    CHECK(j["file"] == files[i]);
    std::string text;
    double prev_end = 0;
    for (const json& w : j["words"]) {
      text += (text.empty() ? "" : " ") + w["word"].get<std::string>();
      CHECK(w["start"].get<double>() >= prev_end - 1e-9);  // in order, not overlapping
      CHECK(w["end"].get<double>() > w["start"].get<double>());
      CHECK(w["end"].get<double>() <= 1.0 + 0.3 * i + 0.01);
      CHECK(w["conf"].get<double>() > 0);
      CHECK(w["conf"].get<double>() <= 1);
      prev_end = w["end"].get<double>();
      // The CTM line of the same word.
      REQUIRE(c < cl.size());
      std::istringstream in(cl[c++]);
      std::string file, chan, word;
      double start = 0, dur = 0, conf = 0;
      in >> file >> chan >> start >> dur >> word >> conf;
      CHECK(file == files[i]);
      CHECK(word == w["word"].get<std::string>());
      CHECK(start == doctest::Approx(w["start"].get<double>()).epsilon(1e-3));
      CHECK(start + dur == doctest::Approx(w["end"].get<double>()).epsilon(1e-3));
    }
    total_words += j["words"].size();
    CHECK(j["text"] == text);
    CHECK(tl[i] == files[i] + "\t" + text);
  }
  CHECK(c == cl.size());
  CHECK_MESSAGE(total_words > 0, "the random model should say something: ", js.out);
  const auto beam = RunAuris("transcribe -m ctc.safetensors --beam 4 --json" + Join(files), dir);
  REQUIRE_MESSAGE(beam.status == 0, beam.err);
  CHECK(Lines(beam.out).size() == files.size());
}

TEST_CASE("transcribe: a corrupt file among good ones gets an error line, the others are transcribed, exit 1") {
  TempDir dir;
  WriteCtcModel(dir / "ctc.safetensors");
  const std::vector<std::string> files = MakeFiles(dir, 2);
  WriteFile(dir / "bad.wav", "RIFF garbage");
  const auto r = RunAuris("transcribe -m ctc.safetensors " + files[0] + " bad.wav missing.wav " + files[1], dir);
  CHECK(r.status == 1);
  CHECK(Lines(r.out).size() == 2);
  CHECK(LinesWith(r.err, "bad.wav").size() == 1);
  CHECK(LinesWith(r.err, "missing.wav").size() == 1);
  CHECK(LinesWith(r.err, "2 of 4 inputs failed").size() == 1);
  // classify takes a word-unit CTC model (isolated words), with the same
  // per-file errors; a character-unit one is refused, pointing to transcribe.
  const auto w = RunAuris("classify -m ctc.safetensors " + files[0] + " bad.wav " + files[1], dir);
  CHECK(w.status == 1);
  REQUIRE(Lines(w.out).size() == 2);
  for (const std::string& line : Lines(w.out)) {
    const std::string label = line.substr(line.find('\t') + 1, line.rfind(' ') - line.find('\t') - 1);
    CHECK_MESSAGE((label == "one" || label == "three" || label == "two"), line);
  }
  CHECK(LinesWith(w.err, "bad.wav").size() == 1);
  WriteCtcModel(dir / "chars.safetensors", true);
  const auto c = RunAuris("classify -m chars.safetensors " + files[0], dir);
  CHECK(c.status != 0);
  CHECK(LinesWith(c.err, "auris transcribe").size() == 1);
  const auto e = RunAuris("eval --isolated-words -m chars.safetensors --data " + files[0], dir);
  CHECK(e.status != 0);
  CHECK(LinesWith(e.err, "--isolated-words needs a CTC model with word units").size() == 1);
  const auto b = RunAuris("transcribe -m ctc.safetensors --beam -2 " + files[0], dir);
  CHECK(b.status != 0);
  CHECK(LinesWith(b.err, "--beam").size() >= 1);
}

TEST_CASE("eval --json on a CTC model: WER, SER and timing follow from transcribe's output") {
  TempDir dir;
  WriteCtcModel(dir / "ctc.safetensors");
  const std::vector<std::string> files = MakeFiles(dir, 4);
  const std::vector<std::string> lines = JsonLines(dir, "transcribe", files);
  std::filesystem::create_directories(dir.path() / "data");
  std::ofstream scp(dir / "data/wav.scp"), text(dir / "data/text"), ctm(dir / "data/words.ctm");
  // Utterance i's reference: the hypothesis, then (i odd) one extra word -> a
  // deletion each. Word times: the hypothesis's moved by +50 ms (within
  // 100 ms), except the ends of odd words, moved by +150 ms (outside).
  long words = 0, dels = 0, both = 0, timed = 0;
  for (std::size_t i = 0; i < files.size(); ++i) {
    const json j = json::parse(lines[i]);
    const std::string id = "utt" + std::to_string(i);
    scp << id << " " << (dir / files[i]) << "\n";
    std::string ref;
    int k = 0;
    double end = 0;
    for (const json& w : j["words"]) {
      ref += (ref.empty() ? "" : " ") + w["word"].get<std::string>();
      const double s = w["start"].get<double>() + 0.05, e = w["end"].get<double>() + (k % 2 ? 0.15 : 0.05);
      ctm << id << " 1 " << s << " " << e - s << " " << w["word"].get<std::string>() << "\n";
      both += k % 2 == 0;
      end = e;
      ++k, ++words, ++timed;
    }
    if (i % 2 == 1 || ref.empty()) {
      ref += (ref.empty() ? "" : " ") + std::string("two");
      ctm << id << " 1 " << end + 0.1 << " 0.2 two\n";
      ++words, ++dels, ++timed;
    }
    text << id << " " << ref << "\n";
  }
  scp.close(), text.close(), ctm.close();
  const auto ev = RunAuris("eval -m ctc.safetensors --data kaldi:data --json -q", dir);
  REQUIRE_MESSAGE(ev.status == 0, ev.err);
  const json e = json::parse(ev.out);
  CHECK(e["n_utts"] == files.size());
  CHECK(e["n_words"] == words);
  CHECK(e["sub"] == 0);
  CHECK(e["ins"] == 0);
  CHECK(e["del"] == dels);
  CHECK(e["wer"].get<double>() == doctest::Approx(double(dels) / words));
  CHECK(e["errors"].size() == static_cast<std::size_t>(dels));
  CHECK(e["ser"].get<double>() == doctest::Approx(double(dels) / files.size()));
  REQUIRE(e.contains("timing"));
  CHECK(e["timing"]["words"] == timed);
  CHECK(e["timing"]["both_within"].get<double>() == doctest::Approx(double(both) / timed));
}

// eval --isolated-words reports a word-unit CTC model as a classifier: its
// words (never the blank) as labels, and the errors are exactly the files
// where classify's word differs from the list's.
TEST_CASE("eval --isolated-words on a CTC model: accuracy and errors follow from classify's output") {
  TempDir dir;
  WriteCtcModel(dir / "ctc.safetensors");
  const std::vector<std::string> files = MakeFiles(dir, 6);
  const std::vector<std::string> lines = JsonLines(dir, "classify", files);
  REQUIRE(lines.size() == files.size());
  // File i is listed with classify's word when i is even, another word when odd.
  const std::vector<std::string> words = {"one", "three", "two"};
  std::ofstream list(dir / "words.list");
  for (std::size_t i = 0; i < files.size(); ++i) {
    const std::string got = json::parse(lines[i])["label"];
    const std::string other = got == "one" ? "two" : "one";
    list << files[i] << " " << (i % 2 ? other : got) << "\n";
  }
  list.close();
  const auto ev = RunAuris("eval -q --isolated-words --json -m ctc.safetensors --data list:words.list", dir);
  REQUIRE_MESSAGE(ev.status == 0, ev.err);
  const json e = json::parse(ev.out);
  CHECK(e["labels"] == words);
  CHECK(e["n"] == files.size());
  CHECK(e["accuracy"].get<double>() == doctest::Approx(0.5));
  REQUIRE(e["errors"].size() == files.size() / 2);
  for (const json& err : e["errors"]) CHECK(err["predicted"] != err["label"]);
}

TEST_CASE("transcribe --align: the reference words, in order, named by utterance id, errors name the problem") {
  TempDir dir;
  WriteCtcModel(dir / "ctc.safetensors");
  const std::vector<std::string> files = MakeFiles(dir, 3);
  const auto free = RunAuris("transcribe -m ctc.safetensors --json" + Join(files), dir);
  REQUIRE_MESSAGE(free.status == 0, free.err);
  // u0: the free transcript itself (word times must then equal transcribe's:
  // both segment the boundary head into the same number of words); u1, u2:
  // texts the random model does not say.
  const json u0 = json::parse(Lines(free.out)[0]);
  WriteFile(dir / "wav.scp", "u0 u0.wav\nu1 u1.wav\nu2 u2.wav\n");
  WriteFile(dir / "text", "u0 " + u0["text"].get<std::string>() + "\nu1 two two one three\nu2 three\n");
  const std::vector<std::vector<std::string>> want = {{}, {"two", "two", "one", "three"}, {"three"}};
  for (const char* times : {"boundary", "labels"}) {
    CAPTURE(times);
    const auto r =
        RunAuris(std::string("transcribe -m ctc.safetensors --align text --word-times ") + times + " --json scp:wav.scp", dir);
    REQUIRE_MESSAGE(r.status == 0, r.err);
    const std::vector<std::string> lines = Lines(r.out);
    REQUIRE(lines.size() == 3);
    for (int i = 0; i < 3; ++i) {
      const json j = json::parse(lines[i]);
      CHECK(j["file"] == "u" + std::to_string(i));
      std::vector<std::string> words;
      double prev_end = 0;
      for (const json& w : j["words"]) {
        words.push_back(w["word"]);
        CHECK(w["start"].get<double>() >= prev_end - 1e-9);
        CHECK(w["end"].get<double>() > w["start"].get<double>());
        prev_end = w["end"].get<double>();
      }
      if (i > 0) CHECK(words == want[i]);
      if (i == 0) CHECK(j["text"] == u0["text"]);
      if (i == 0 && times == std::string("boundary")) {
        REQUIRE(j["words"].size() == u0["words"].size());
        for (std::size_t k = 0; k < u0["words"].size(); ++k) {
          CHECK(j["words"][k]["start"].get<double>() == doctest::Approx(u0["words"][k]["start"].get<double>()));
          CHECK(j["words"][k]["end"].get<double>() == doctest::Approx(u0["words"][k]["end"].get<double>()));
        }
      }
    }
  }
  WriteFile(dir / "bad.txt", "u0 one\nu1 one four\n");  // "four" is no label; u2 has no line
  const auto bad = RunAuris("transcribe -m ctc.safetensors --align bad.txt scp:wav.scp", dir);
  CHECK(bad.status == 1);
  CHECK(Lines(bad.out).size() == 1);
  CHECK(LinesWith(bad.err, "\"four\" is not a label").size() == 1);
  CHECK(LinesWith(bad.err, "u2: no line in bad.txt").size() == 1);
  const auto missing = RunAuris("transcribe -m ctc.safetensors --align nothing.txt scp:wav.scp", dir);
  CHECK(missing.status != 0);
  CHECK(LinesWith(missing.err, "nothing.txt").size() >= 1);
}
