// Durable output end to end: a full disk (RLIMIT_FSIZE) is an error naming
// the file with the summary line still printed and no output that looks
// complete; `kill -9` in the middle of a feature batch or of training leaves
// the previous outputs intact, and the re-run (a redo, or --resume for
// training) writes exactly the bytes of an uninterrupted run.
#include <doctest/doctest.h>

#include <csignal>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

#include <nlohmann/json.hpp>

#include "cli_support.h"
#include "test_support.h"

using namespace auris;
using namespace auris::test;
namespace fs = std::filesystem;

namespace {

// In a shell: SIGXFSZ ignored, so a write past the limit fails with EFBIG,
// as a full disk fails with ENOSPC. `blocks` is in the shell's ulimit unit.
std::string FileSizeLimit(int blocks) { return "trap '' XFSZ; ulimit -f " + std::to_string(blocks) + "; "; }

// `auris <args>` in `cwd` under a shell prefix; status, stderr.
CliResult RunLimited(const std::string& prefix, const std::string& args, const fs::path& cwd) {
  CliResult r;
  const std::string err = (cwd / ".stderr").string();
  const int status =
      RunCommand("cd '" + cwd.string() + "' && { " + prefix + "'" AURIS_EXE "' " + args + " 2>'" + err + "'; }");
  r.status = status;
  r.err = ReadFile(err);
  return r;
}

bool HasTemporaries(const fs::path& dir) {
  for (const auto& e : fs::recursive_directory_iterator(dir))
    if (e.path().filename().string().find(".tmp.") != std::string::npos) return true;
  return false;
}

// Starts `sh -c command` in its own process group (so kill -9 takes its
// children along); returns its pid.
pid_t Spawn(const std::string& command) {
  const pid_t pid = fork();
  if (pid == 0) {
    setpgid(0, 0);
    execl("/bin/sh", "sh", "-c", command.c_str(), static_cast<char*>(nullptr));
    _exit(127);
  }
  setpgid(pid, pid);
  return pid;
}

// Waits (up to 60 s) for `ready`, then kill -9 of the process group; true if
// the process died of the signal (and so was interrupted for real).
bool KillWhen(pid_t pid, const std::function<bool()>& ready) {
  for (int i = 0; i < 30000 && !ready(); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(2));
  kill(-pid, SIGKILL);
  int status = 0;
  waitpid(pid, &status, 0);
  return WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL;
}

// wav.scp of `n` utterances u100, u101, ...; u140 goes through block.sh,
// which waits while the file `block` exists (touching `reached` first).
void MakeBlockingCorpus(const TempDir& dir, int n) {
  fs::create_directories(dir / "wavs");
  std::ofstream scp(dir / "wav.scp");
  for (int i = 0; i < n; ++i) {
    const std::string wav = dir / ("wavs/u" + std::to_string(100 + i) + ".wav");
    WriteTestWav(wav, 0.2 + 0.01 * (i % 7), 16000, i + 1);
    scp << "u" << 100 + i << " ";
    if (i == 40) scp << "sh " << (dir / "block.sh") << " " << wav << " |\n";
    else scp << wav << "\n";
  }
  WriteFile(dir / "block.sh",
            "if [ -e '" + (dir / "block") + "' ]; then touch '" + (dir / "reached") + "'; sleep 600; fi\ncat \"$1\"\n");
}

}  // namespace

TEST_CASE("features: a full disk names the file, prints the summary, exits 1 and leaves the old output intact") {
  TempDir dir;
  fs::create_directories(dir / "wavs");
  for (int i = 0; i < 6; ++i) WriteTestWav(dir / ("wavs/u" + std::to_string(i) + ".wav"), 1.0, 16000, i + 1);
  REQUIRE(RunAuris("features -q --num-ceps 20 wavs ark,scp:feats.ark,feats.scp", dir).status == 0);
  REQUIRE(RunAuris("features -q --num-ceps 20 wavs npy:np", dir).status == 0);
  const std::string old_ark = ReadFile(dir / "feats.ark"), old_scp = ReadFile(dir / "feats.scp");
  REQUIRE(old_ark.size() > 16384);

  const CliResult ark = RunLimited(FileSizeLimit(16), "features -q wavs ark,scp:feats.ark,feats.scp", dir.path());
  INFO(ark.err);
  CHECK(ark.status == 1);
  CHECK(LinesWith(ark.err, "auris features: error: feats.ark: write failed: File too large").size() == 1);
  CHECK(LinesWith(ark.err, "Done 0 of 6 utterances, 6 failed").size() == 1);
  // Nothing was renamed: the previous run's pair is whole and consistent.
  CHECK(ReadFile(dir / "feats.ark") == old_ark);
  CHECK(ReadFile(dir / "feats.scp") == old_scp);
  CHECK_FALSE(HasTemporaries(dir.path()));

  // One file per utterance: the old index goes first, the new one never comes.
  REQUIRE(fs::exists(dir / "np/index.txt"));
  const CliResult npy = RunLimited(FileSizeLimit(4), "features -q --num-ceps 40 --num-mel-bins 40 wavs npy:np", dir.path());
  INFO(npy.err);
  CHECK(npy.status == 1);
  CHECK(LinesWith(npy.err, "np/u0.npy: write failed: File too large").size() == 1);
  CHECK(LinesWith(npy.err, "Done 0 of 6 utterances, 6 failed").size() == 1);
  CHECK_FALSE(fs::exists(dir / "np/index.txt"));
  CHECK_FALSE(HasTemporaries(dir.path()));
}

TEST_CASE("features: kill -9 mid-batch keeps the previous ark/scp pair and the re-run equals an uninterrupted run") {
  TempDir dir;
  MakeBlockingCorpus(dir, 60);
  for (const char* d : {"full", "part"}) fs::create_directories(dir / d);
  const std::string ark_scp = " features -q --num-threads 1 scp:../wav.scp ark,scp:feats.ark,feats.scp";
  const std::string npy = " features -q --num-threads 1 scp:../wav.scp npy:np";
  REQUIRE(RunLimited("", ark_scp, dir / "full").status == 0);
  REQUIRE(RunLimited("", npy, dir / "full").status == 0);
  // An earlier, complete run with other options is in place.
  REQUIRE(RunLimited("", ark_scp + " --num-ceps 20", dir / "part").status == 0);
  REQUIRE(RunLimited("", npy + " --num-ceps 20", dir / "part").status == 0);
  const std::string old_ark = ReadFile(dir / "part/feats.ark"), old_scp = ReadFile(dir / "part/feats.scp");

  // u140 blocks: the 40 before it are in the output when kill -9 hits.
  const auto interrupt = [&](const std::string& args) {
    WriteFile(dir / "block", "");
    fs::remove(dir / "reached");
    const pid_t pid = Spawn("cd '" + (dir / "part") + "' && exec '" AURIS_EXE "'" + args + " 2>/dev/null");
    REQUIRE(KillWhen(pid, [&] { return fs::exists(dir / "reached"); }));
    fs::remove(dir / "block");
  };
  interrupt(ark_scp);
  CHECK(HasTemporaries(dir / "part"));  // the killed run's, never read
  CHECK(ReadFile(dir / "part/feats.ark") == old_ark);
  CHECK(ReadFile(dir / "part/feats.scp") == old_scp);
  interrupt(npy);
  CHECK_FALSE(fs::exists(dir / "part/np/index.txt"));  // 40 of its files are new

  for (const std::string& args : {ark_scp, npy}) {
    const CliResult again = RunLimited("", args, dir / "part");
    INFO(again.err);
    CHECK(again.status == 0);
  }
  CHECK(ReadFile(dir / "part/feats.ark") == ReadFile(dir / "full/feats.ark"));
  CHECK(ReadFile(dir / "part/feats.scp") == ReadFile(dir / "full/feats.scp"));
  CHECK(ReadFile(dir / "part/np/index.txt") == ReadFile(dir / "full/np/index.txt"));
  for (const auto& e : fs::directory_iterator(dir / "full/np"))
    CHECK(ReadFile(e.path()) == ReadFile(dir / "part/np" / e.path().filename()));
}

namespace {

// DIR/<label>/<n>.wav: tones of three pitches, 8 kHz.
void WriteTones(const TempDir& dir, int per_class) {
  const char* labels[] = {"high", "low", "mid"};
  for (int c = 0; c < 3; ++c) {
    fs::create_directories(dir / ("train/" + std::string(labels[c])));
    for (int i = 0; i < per_class; ++i)
      WriteTestWav(dir / ("train/" + std::string(labels[c]) + "/" + std::to_string(i) + ".wav"), 0.3 + 0.02 * i,
                   8000, static_cast<unsigned>(5 * c + i));
  }
}

// The deterministic fields of each line of a training log.
std::vector<std::string> LogEpochs(const std::string& path) {
  std::vector<std::string> out;
  std::istringstream in(ReadFile(path));
  for (std::string line; std::getline(in, line);) {
    const nlohmann::json j = nlohmann::json::parse(line);
    out.push_back(j["epoch"].dump() + " " + j["train_loss"].dump() + " " + j["train_acc"].dump() + " " +
                  j["lr"].dump());
  }
  return out;
}

const std::string kTrain =
    "train --train ../train --epochs 4 --type fbank --sample-frequency 8000 --num-mel-bins 16 --cmvn utt"
    " --hidden 16 --lstm-layers 1 --batch-size 8 --lr 0.01 --warmup-steps 5 --aug-noise-prob 0.5 -q --out m.safetensors";

}  // namespace

TEST_CASE("auris train: kill -9 mid-run, then --resume ends with the bytes of an uninterrupted run") {
  TempDir dir;
  WriteTones(dir, 30);
  for (const char* d : {"full", "part"}) fs::create_directories(dir / d);
  REQUIRE(RunLimited("", kTrain, dir / "full").status == 0);

  const pid_t pid = Spawn("cd '" + (dir / "part") + "' && exec '" AURIS_EXE "' " + kTrain + " 2>/dev/null");
  REQUIRE(KillWhen(pid, [&] { return fs::exists(dir / "part/m.ckpt.safetensors"); }));
  // The log holds whole lines, at least as many as the checkpoint's epochs.
  CHECK(LogEpochs(dir / "part/m.log.jsonl").size() >= 1);

  const CliResult r = RunLimited("", kTrain + " --resume m.ckpt.safetensors", dir / "part");
  INFO(r.err);
  REQUIRE(r.status == 0);
  CHECK(ReadFile(dir / "part/m.safetensors") == ReadFile(dir / "full/m.safetensors"));
  CHECK(LogEpochs(dir / "part/m.log.jsonl") == LogEpochs(dir / "full/m.log.jsonl"));
  CHECK(LogEpochs(dir / "full/m.log.jsonl").size() == 4);
}

TEST_CASE("auris train: a full disk is an error naming the model file, exit 1") {
  TempDir dir;
  WriteTones(dir, 8);
  fs::create_directories(dir / "run");
  const CliResult r = RunLimited(FileSizeLimit(8), kTrain, dir / "run");
  INFO(r.err);
  CHECK(r.status == 1);
  CHECK(LinesWith(r.err, "auris: error: m.").size() == 1);
  CHECK(LinesWith(r.err, "safetensors: write failed: File too large").size() == 1);
  CHECK_FALSE(fs::exists(dir / "run/m.safetensors"));
  CHECK_FALSE(HasTemporaries(dir / "run"));
}
