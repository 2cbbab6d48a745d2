// auris train end to end: tone classes in the Speech Commands layout, a
// corrupt file reported and skipped (an error with --strict), best model + checkpoint + JSON log,
// --stop-after-epoch then --resume finishing exactly like an uninterrupted
// run, Ctrl-C saving a checkpoint to resume from; --vtln-search stored in the model; auris ensemble
// combining trained models; auris make-digits writing a usable Kaldi data dir;
// the boundary head trained on a mix of timed and untimed examples, also by a
// low-frame-rate (--stack-frames) model.
#include <doctest/doctest.h>

#include <csignal>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

#include <nlohmann/json.hpp>

#include "auris/audio/load.h"
#include "auris/audio/write.h"
#include "auris/core/rng.h"
#include "auris/pipeline/recognizer.h"
#include "cli_support.h"
#include "test_support.h"

using namespace auris;
using namespace auris::test;
namespace fs = std::filesystem;

namespace {

// DIR/<label>/<n>.wav: class c is a tone at 400 * (c + 1) Hz, 8 kHz.
void WriteTones(const std::string& dir, int per_class, std::uint64_t seed) {
  Rng rng(seed);
  const char* labels[] = {"high", "low", "mid"};
  const double freq[] = {1200, 400, 800};
  for (int c = 0; c < 3; ++c) {
    fs::create_directories(fs::path(dir) / labels[c]);
    for (int i = 0; i < per_class; ++i) {
      const int n = 2400 + static_cast<int>(rng.Index(1600));
      std::vector<float> x(n);
      const double amp = rng.Uniform(2000, 8000), phase = rng.Uniform(0, 6.28);
      for (int t = 0; t < n; ++t)
        x[t] = static_cast<float>(amp * std::sin(phase + 2 * M_PI * freq[c] * t / 8000.0) + 300 * rng.Gaussian());
      audio::WriteWav((fs::path(dir) / labels[c] / (std::to_string(i) + ".wav")).string(), x, 8000);
    }
  }
}

int CountLines(const std::string& path) {
  std::ifstream in(path);
  int n = 0;
  for (std::string line; std::getline(in, line);) n += !line.empty();
  return n;
}

const std::string kTrainFlags =
    " --type fbank --sample-frequency 8000 --num-mel-bins 16 --cmvn utt --hidden 16 --lstm-layers 1"
    " --batch-size 8 --lr 0.01 --warmup-steps 5 -q";

}  // namespace

TEST_CASE("auris train: learns from a label-folder layout, skips a corrupt file, writes model, checkpoint, log") {
  TempDir dir;
  WriteTones(dir / "train", 12, 1);
  WriteTones(dir / "valid", 5, 2);
  WriteFile(dir / "train/low/corrupt.wav", "RIFF not really a wav file");
  const CliResult r = RunAuris("train --train train --valid valid --out m.safetensors --epochs 20" + kTrainFlags, dir);
  INFO(r.err);
  REQUIRE(r.status == 0);
  CHECK(LinesWith(r.err, "skipped low-corrupt").size() == 1);
  CHECK(LinesWith(r.err, "using 36 of 37 examples").size() == 1);
  CHECK(LinesWith(r.err, "epoch 20/20").size() == 1);
  CHECK(fs::exists(dir / "m.safetensors"));
  CHECK(fs::exists(dir / "m.ckpt.safetensors"));
  CHECK(CountLines(dir / "m.log.jsonl") == 20);
  CHECK(ReadFile(dir / "m.log.jsonl").find("\"valid_acc\"") != std::string::npos);

  // --strict: the same corrupt file stops training before it starts, naming it.
  const CliResult strict = RunAuris("train --train train --out s.safetensors --epochs 1 --strict" + kTrainFlags, dir);
  CHECK(strict.status != 0);
  CHECK_MESSAGE(LinesWith(strict.err, "1 of 37 examples unusable (--strict), the first: low-corrupt").size() == 1,
                strict.err);
  CHECK_FALSE(fs::exists(dir / "s.safetensors"));

  const CliResult e = RunAuris("eval --model m.safetensors --data valid --json", dir);
  INFO(e.err);
  REQUIRE(e.status == 0);
  double accuracy = 0;
  REQUIRE(std::sscanf(e.out.c_str(), "{\"accuracy\":%lf", &accuracy) == 1);
  CHECK(accuracy >= 0.9);
  const CliResult c = RunAuris("classify --model m.safetensors valid/mid/0.wav valid/low/1.wav", dir);
  REQUIRE(c.status == 0);
  CHECK(LinesWith(c.out, "valid/mid/0.wav\tmid").size() == 1);
  CHECK(LinesWith(c.out, "valid/low/1.wav\tlow").size() == 1);
}

TEST_CASE("auris train --type plp: the model carries Kaldi's PLP options and eval computes them again") {
  TempDir dir;
  WriteTones(dir / "train", 12, 3);
  WriteTones(dir / "valid", 5, 4);
  std::string flags = kTrainFlags;
  flags.replace(flags.find("--type fbank"), 12, "--type plp --lpc-order 10 --num-ceps 11");
  const CliResult r = RunAuris("train --train train --valid valid --out p.safetensors --epochs 20" + flags, dir);
  INFO(r.err);
  REQUIRE(r.status == 0);
  const std::string model = ReadFile(dir / "p.safetensors");
  CHECK(model.find("plp") != std::string::npos);
  CHECK(model.find("lpc-order") != std::string::npos);
  const CliResult e = RunAuris("eval --model p.safetensors --data valid --json", dir);
  INFO(e.err);
  REQUIRE(e.status == 0);
  double accuracy = 0;
  REQUIRE(std::sscanf(e.out.c_str(), "{\"accuracy\":%lf", &accuracy) == 1);
  CHECK(accuracy >= 0.9);
}

TEST_CASE("auris train --trim-silence: stored in the model, trains and evaluates on inputs cut to their tones") {
  TempDir dir;
  WriteTones(dir / "train", 12, 3);
  WriteTones(dir / "valid", 5, 4);
  // The validation tones with 1 s of digital silence either side.
  for (const auto& f : fs::recursive_directory_iterator(dir / "valid")) {
    if (f.path().extension() != ".wav") continue;
    std::vector<float> x(8000, 0.0f);
    audio::AudioLoadOptions at8k;
    at8k.target_rate_hz = 8000;
    const std::vector<float> tone = audio::LoadForFeatures(f.path().string(), at8k);
    x.insert(x.end(), tone.begin(), tone.end());
    x.resize(x.size() + 8000, 0.0f);
    audio::WriteWav(f.path().string(), x, 8000);
  }
  const CliResult r =
      RunAuris("train --train train --valid valid --out t.safetensors --epochs 20 --trim-silence" + kTrainFlags, dir);
  INFO(r.err);
  REQUIRE(r.status == 0);
  const pipeline::Recognizer rec = pipeline::Recognizer::Load(dir / "t.safetensors");
  REQUIRE(rec.Features().trim.has_value());
  CHECK(rec.Features().trim->margin_ms == 200);
  const CliResult e = RunAuris("eval --model t.safetensors --data valid --json", dir);
  INFO(e.err);
  REQUIRE(e.status == 0);
  double accuracy = 0;
  REQUIRE(std::sscanf(e.out.c_str(), "{\"accuracy\":%lf", &accuracy) == 1);
  CHECK(accuracy >= 0.9);
  const CliResult ctc = RunAuris("train --task ctc --train train --out c.safetensors --epochs 1 --trim-silence" + kTrainFlags, dir);
  CHECK(ctc.status != 0);
  CHECK_MESSAGE(ctc.err.find("--trim-silence is for classifiers") != std::string::npos, ctc.err);
}

TEST_CASE("auris train --stop-after-epoch: a checkpoint, and --resume ends with the same model as an uninterrupted run") {
  TempDir dir;
  WriteTones(dir / "train", 40, 3);
  const std::string flags = " --epochs 3 --aug-speed 0.9 1.1 --aug-noise-prob 0.5 --spec-time-masks 1 --spec-time-width 5" + kTrainFlags;
  REQUIRE(RunAuris("train --train train --out full.safetensors" + flags, dir).status == 0);

  const CliResult stop = RunAuris("train --train train --out part.safetensors --stop-after-epoch 1" + flags, dir);
  INFO(stop.err);
  REQUIRE(stop.status == 0);
  CHECK(LinesWith(stop.err, "stopped after epoch 1: checkpoint saved to part.ckpt.safetensors").size() == 1);
  CHECK(CountLines(dir / "part.log.jsonl") == 1);

  const CliResult r = RunAuris("train --train train --out part.safetensors --resume part.ckpt.safetensors" + flags, dir);
  INFO(r.err);
  REQUIRE(r.status == 0);
  CHECK(CountLines(dir / "part.log.jsonl") == 3);
  CHECK(ReadFile(dir / "part.safetensors") == ReadFile(dir / "full.safetensors"));
}

TEST_CASE("auris train: Ctrl-C saves a checkpoint, exits 130, and --resume continues from it") {
  TempDir dir;
  WriteTones(dir / "train", 12, 3);
  // So many epochs that the run is still training when the interrupt arrives.
  const std::string flags = " --epochs 100000" + kTrainFlags;
  const std::string cmd = "cd " + dir.path().string() + " && exec " + AURIS_EXE + " train --train train --out part.safetensors" + flags + " 2>part.err";
  const pid_t pid = fork();
  REQUIRE(pid >= 0);
  if (pid == 0) {
    execl("/bin/sh", "sh", "-c", cmd.c_str(), static_cast<char*>(nullptr));
    _exit(127);
  }
  // Interrupt once the first epoch is logged (the handler is installed by then).
  for (int i = 0; i < 6000 && CountLines(dir / "part.log.jsonl") < 1; ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  kill(pid, SIGINT);
  int status = 0;
  waitpid(pid, &status, 0);
  const std::string err = ReadFile(dir / "part.err");
  INFO(err);
  REQUIRE(WIFEXITED(status));
  CHECK(WEXITSTATUS(status) == 130);
  CHECK(LinesWith(err, "interrupted: checkpoint saved to part.ckpt.safetensors").size() == 1);

  const int logged = CountLines(dir / "part.log.jsonl");
  const CliResult r = RunAuris("train --train train --out part.safetensors --resume part.ckpt.safetensors --stop-after-epoch " +
                                   std::to_string(logged + 1) + flags,
                               dir);
  INFO(r.err);
  REQUIRE(r.status == 0);
  CHECK(CountLines(dir / "part.log.jsonl") == logged + 1);
}

TEST_CASE("auris train --vtln-search: the warps are stored, used by eval, refused by live and checked") {
  TempDir dir;
  WriteTones(dir / "train", 8, 5);
  // Streamable features, so that the search is what live refuses.
  std::string flags = kTrainFlags;
  flags.replace(flags.find("--cmvn utt"), 10, "--cmvn train");
  const CliResult r =
      RunAuris("train --train train --out m.safetensors --epochs 12 --vtln-search 0.8 1.2 0.1" + flags, dir);
  INFO(r.err);
  REQUIRE(r.status == 0);
  CHECK(ReadFile(dir / "m.safetensors").find(R"("vtln_search":"0.8 0.9 1 1.1 1.2")") != std::string::npos);
  const CliResult e = RunAuris("eval --model m.safetensors --data train --json", dir);
  INFO(e.err);
  CHECK(e.status == 0);
  CHECK(e.out.find("\"n\":24") != std::string::npos);  // that eval follows the search: evaluate_vtln_test
  const CliResult live = RunAuris("live --model m.safetensors --input train/low/0.wav --fast --json", dir);
  CHECK(live.status != 0);
  CHECK(live.err.find("vtln_search") != std::string::npos);

  const CliResult bad =
      RunAuris("train --train train --out b.safetensors --epochs 1 --vtln-search 1.2 0.8 0.1" + kTrainFlags, dir);
  CHECK(bad.status != 0);
  CHECK(bad.status < 128);  // an error exit, not an abort
  CHECK(LinesWith(bad.err, "--vtln-search: need 0 < MIN <= MAX").size() == 1);
  const CliResult ctc =
      RunAuris("train --task ctc --train train --out c.safetensors --epochs 1 --vtln-search 0.9 1.1 0.1" + kTrainFlags, dir);
  CHECK(ctc.status != 0);
  CHECK(ctc.err.find("--vtln-search is for classifiers") != std::string::npos);
}

TEST_CASE("auris train --cmvn online: the training data's statistics are stored, eval and live run the model") {
  TempDir dir;
  WriteTones(dir / "train", 8, 7);
  const CliResult r = RunAuris(
      "train --train train --out m.safetensors --epochs 3 --type fbank --sample-frequency 8000 --num-mel-bins 16"
      " --cmvn online --cmn-window 50 --global-frames 20 --hidden 16 --lstm-layers 1 --batch-size 8 -q",
      dir);
  REQUIRE_MESSAGE(r.status == 0, r.err);
  const std::string model = ReadFile(dir / "m.safetensors");
  CHECK(model.find(R"(\"mode\":\"online\")") != std::string::npos);
  CHECK(model.find(R"(\"cmn_window\":50)") != std::string::npos);
  CHECK(model.find(R"(\"global_frames\":20)") != std::string::npos);
  // The stored statistics are the training data's, not the placeholder count 1.
  CHECK(model.find(R"(,1.0]]}})") == std::string::npos);
  const CliResult e = RunAuris("eval --model m.safetensors --data train --json", dir);
  CHECK_MESSAGE(e.status == 0, e.err);
  const CliResult live = RunAuris("live --model m.safetensors --input train/low/0.wav --fast --json", dir);
  CHECK_MESSAGE(live.status == 0, live.err);
}

TEST_CASE("auris ensemble: two trained models combine into one whose probabilities are their geometric mean") {
  TempDir dir;
  WriteTones(dir / "train", 8, 6);
  for (const char* seed : {"1", "2"}) {
    const CliResult r = RunAuris(std::string("train --train train --epochs 6 --seed ") + seed + " --out m" + seed +
                                     ".safetensors" + kTrainFlags, dir);
    REQUIRE_MESSAGE(r.status == 0, r.err);
  }
  const CliResult e = RunAuris("ensemble --out e.safetensors m1.safetensors m2.safetensors", dir);
  INFO(e.err);
  REQUIRE(e.status == 0);
  CHECK(LinesWith(e.err, "2 models").size() == 1);

  const std::string inputs = " train/low/0.wav train/mid/1.wav train/high/2.wav";
  std::vector<std::vector<std::map<std::string, double>>> probs;  // model -> file -> label -> p
  for (const char* m : {"m1", "m2", "e"}) {
    const CliResult c = RunAuris(std::string("classify --json --top-k 3 --model ") + m + ".safetensors" + inputs, dir);
    REQUIRE_MESSAGE(c.status == 0, c.err);
    std::vector<std::map<std::string, double>> files;
    std::istringstream lines(c.out);
    for (std::string line; std::getline(lines, line);) {
      std::map<std::string, double> p;
      const nlohmann::json j = nlohmann::json::parse(line);  // not a temporary: the loop outlives it otherwise
      for (const auto& t : j["top"]) p[t["label"]] = t["score"];
      files.push_back(p);
    }
    REQUIRE(files.size() == 3);
    probs.push_back(files);
  }
  for (int f = 0; f < 3; ++f) {
    double z = 0;
    for (const auto& [label, p1] : probs[0][f]) z += std::sqrt(p1 * probs[1][f].at(label));
    for (const auto& [label, p1] : probs[0][f])
      CHECK(probs[2][f].at(label) == doctest::Approx(std::sqrt(p1 * probs[1][f].at(label)) / z).epsilon(1e-5));
  }
  const CliResult plot = RunAuris("plot attention --model e.safetensors train/low/0.wav -o att.png", dir);
  CHECK_MESSAGE(plot.status == 0, plot.err);
  CHECK(fs::exists(dir / "att.png"));

  const CliResult missing = RunAuris("ensemble --out x.safetensors m1.safetensors nosuch.safetensors", dir);
  CHECK(missing.status != 0);
  CHECK(missing.err.find("nosuch.safetensors") != std::string::npos);
  CHECK(!fs::exists(dir / "x.safetensors"));
}

TEST_CASE("auris train --average-last: says what it saved, and refuses a window longer than the run") {
  TempDir dir;
  WriteTones(dir / "train", 2, 4);
  const CliResult r = RunAuris("train --train train --valid train --out m.safetensors --epochs 3 --average-last 2" + kTrainFlags, dir);
  REQUIRE_MESSAGE(r.status == 0, r.err);
  CHECK(LinesWith(r.err, "done: mean weights of the last 2 epochs (validation accuracy").size() == 1);
  CHECK(std::filesystem::exists(dir / "m.safetensors"));
  const CliResult bad = RunAuris("train --train train --out b.safetensors --epochs 1 --average-last 2" + kTrainFlags, dir);
  CHECK(bad.status != 0);
  CHECK(LinesWith(bad.err, "--average-last must be in 0..--epochs (1), got 2").size() == 1);
}

TEST_CASE("auris train: clear errors for a missing data spec and a bad architecture") {
  TempDir dir;
  CliResult r = RunAuris("train --train nowhere --out m.safetensors" + kTrainFlags, dir);
  CHECK(r.status != 0);
  CHECK(r.err.find("nowhere") != std::string::npos);
  WriteTones(dir / "train", 2, 4);
  r = RunAuris("train --train train --out m.safetensors --arch nosuch.json" + kTrainFlags, dir);
  CHECK(r.status != 0);
  CHECK(r.err.find("nosuch.json") != std::string::npos);
  WriteFile(dir / "arch.json", R"({"layers": [{"type": "linear", "out": "labels"}]})");
  r = RunAuris("train --train train --out m.safetensors --arch arch.json --stack-frames 2" + kTrainFlags, dir);
  CHECK(r.status != 0);
  CHECK_MESSAGE(r.err.find("in an architecture file, set \"stack\"") != std::string::npos, r.err);
}

TEST_CASE("auris make-digits: one speaker per string, transcripts and word times that match the audio") {
  TempDir dir;
  Rng rng(5);
  std::ostringstream scp, text, spk;
  const char* words[] = {"one", "two", "three"};
  for (int s = 0; s < 2; ++s)
    for (int w = 0; w < 3; ++w) {
      const std::string id = "s" + std::to_string(s) + "_" + words[w];
      std::vector<float> x(1600 + 400 * w, 1000.0f * (s + 1) + 100.0f * w);  // constant level identifies speaker+word
      audio::WriteWav(dir / (id + ".wav"), x, 8000);
      scp << id << " " << (dir / (id + ".wav")) << "\n";
      text << id << " " << words[w] << "\n";
      spk << id << " spk" << s << "\n";
    }
  fs::create_directories(dir / "singles");
  WriteFile(dir / "singles/wav.scp", scp.str());
  WriteFile(dir / "singles/text", text.str());
  WriteFile(dir / "singles/utt2spk", spk.str());
  const CliResult r = RunAuris("make-digits --data kaldi:singles --out strings --num-utts 20 --max-words 4 --max-gap-ms 100", dir);
  INFO(r.err);
  REQUIRE(r.status == 0);
  for (const char* f : {"wav.scp", "text", "utt2spk", "spk2utt", "words.ctm"}) CHECK(fs::exists(dir / ("strings/" + std::string(f))));
  CHECK(CountLines(dir / "strings/text") == 20);
  // Every CTM word's audio span holds exactly that word's level, from that utterance's speaker.
  std::ifstream ctm(dir / "strings/words.ctm");
  int checked = 0;
  for (std::string id, ch, word; ctm >> id >> ch;) {
    double start = 0, dur = 0;
    ctm >> start >> dur >> word;
    const int s = id.rfind("spk1", 0) == 0 ? 1 : 0;
    const int w = word == "one" ? 0 : word == "two" ? 1 : 2;
    CHECK(dur == doctest::Approx((1600 + 400 * w) / 8000.0).epsilon(1e-3));
    const std::vector<float> x = audio::LoadForFeatures(dir / ("strings/wav/" + id + ".wav"), {.target_rate_hz = 8000});
    const auto first = static_cast<std::size_t>(std::llround(start * 8000));
    const auto n = static_cast<std::size_t>(std::llround(dur * 8000));
    REQUIRE(first + n <= x.size());
    const float level = 1000.0f * (s + 1) + 100.0f * w;
    CHECK(x[first] == level);
    CHECK(x[first + n - 1] == level);
    ++checked;
  }
  CHECK(checked >= 20);
}

TEST_CASE("auris train --boundary-head on: learns word times from the timed examples of a mix, none timed is an error") {
  TempDir dir;
  std::ostringstream scp, text, spk;
  const char* words[] = {"one", "two"};
  for (int s = 0; s < 2; ++s)
    for (int w = 0; w < 2; ++w) {
      const std::string id = "s" + std::to_string(s) + "_" + words[w];
      std::vector<float> x(2400);
      for (std::size_t t = 0; t < x.size(); ++t)
        x[t] = static_cast<float>(4000 * std::sin(2 * M_PI * (500.0 + 700 * w + 50 * s) * t / 8000.0));
      audio::WriteWav(dir / (id + ".wav"), x, 8000);
      scp << id << " " << (dir / (id + ".wav")) << "\n";
      text << id << " " << words[w] << "\n";
      spk << id << " spk" << s << "\n";
    }
  fs::create_directories(dir / "singles");
  WriteFile(dir / "singles/wav.scp", scp.str());
  WriteFile(dir / "singles/text", text.str());
  WriteFile(dir / "singles/utt2spk", spk.str());
  REQUIRE(RunAuris("make-digits --data kaldi:singles --out strings --num-utts 16 --max-words 3", dir).status == 0);
  // "real": the same strings under other ids, with no word times; "mix": both,
  // words.ctm listing only the generated ones.
  fs::create_directories(dir / "real");
  fs::create_directories(dir / "mix");
  for (const char* f : {"wav.scp", "text", "utt2spk"}) {
    std::ifstream in(dir / ("strings/" + std::string(f)));
    std::ostringstream real;
    for (std::string line; std::getline(in, line);) real << "real-" << line << "\n";
    WriteFile(dir / ("real/" + std::string(f)), real.str());
    WriteFile(dir / ("mix/" + std::string(f)), ReadFile(dir / ("strings/" + std::string(f))) + real.str());
  }
  WriteFile(dir / "mix/words.ctm", ReadFile(dir / "strings/words.ctm"));
  const std::string flags = " --task ctc --epochs 1 --sample-frequency 8000 --num-mel-bins 16 --hidden 16"
                            " --lstm-layers 1 --batch-size 8 -q --strict";
  const CliResult mixed = RunAuris("train --train kaldi:mix --out on.safetensors --boundary-head on" + flags, dir);
  INFO(mixed.err);
  REQUIRE(mixed.status == 0);
  CHECK(pipeline::Recognizer::Load(dir / "on.safetensors").HasBoundaryHead());
  // auto adds the head only when every example is timed.
  REQUIRE(RunAuris("train --train kaldi:mix --out auto.safetensors" + flags, dir).status == 0);
  CHECK_FALSE(pipeline::Recognizer::Load(dir / "auto.safetensors").HasBoundaryHead());
  // A low-frame-rate model (2 frames per step) learns the head at its own rate.
  const CliResult stacked =
      RunAuris("train --train kaldi:mix --out stacked.safetensors --boundary-head on --stack-frames 2" + flags, dir);
  INFO(stacked.err);
  REQUIRE(stacked.status == 0);
  const pipeline::Recognizer rec = pipeline::Recognizer::Load(dir / "stacked.safetensors");
  CHECK(rec.Model().Stack() == 2);
  CHECK(rec.HasBoundaryHead());
  const CliResult none = RunAuris("train --train kaldi:real --out none.safetensors --boundary-head on" + flags, dir);
  CHECK(none.status != 0);
  CHECK_MESSAGE(none.err.find("word times") != std::string::npos, none.err);
}
