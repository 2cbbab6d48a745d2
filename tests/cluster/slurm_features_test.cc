// scripts/slurm-features.sh on a real Slurm: a private two-node cluster
// (tests/cluster/local_slurm.sh) extracts >= 500 utterances in 4 array tasks;
// the merged output must equal a single-process `auris features` run byte for
// byte, a task killed half-way and a deleted shard must be recomputed alone,
// and a corrupt file must be reported while everything else is extracted.
#include <doctest/doctest.h>
#include <sys/stat.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <future>
#include <set>
#include <thread>
#include <vector>

#include "auris/io/feature_reader.h"
#include "cli_support.h"
#include "local_cluster.h"

using namespace auris;
using namespace auris::test;
namespace fs = std::filesystem;

namespace {

constexpr int kShards = 4;

std::string Launcher() { return SourceDir() + "/scripts/slurm-features.sh"; }

struct Launch {
  int status = 0;
  std::string err;
};

Launch RunLauncher(const LocalSlurm& slurm, const TempDir& dir, const std::string& args) {
  Launch r;
  r.status = RunCommand("cd '" + dir.path().string() + "' && " + slurm.Env() + "'" + Launcher() +
                            "' --auris '" AURIS_EXE "' " + args,
                        &r.err);
  return r;
}

bool Contains(const std::string& text, const std::string& needle) {
  return text.find(needle) != std::string::npos;
}

// Polls until `path` exists (and, if asked, is not empty), for at most `seconds`.
bool WaitForFile(const std::string& path, int seconds, bool nonempty = false) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(seconds);
  while (!fs::exists(path) || (nonempty && fs::file_size(path) == 0)) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return true;
}

// Identity of a file's content on disk: a recomputed shard is a new file
// renamed into place, so its inode or mtime changes.
struct Stamp {
  ino_t inode = 0;
  long long mtime_ns = -1;
  bool operator==(const Stamp&) const = default;
};

Stamp StampOf(const std::string& path) {
  struct stat st;
  if (stat(path.c_str(), &st) != 0) return {};
  return {st.st_ino, st.st_mtim.tv_sec * 1000000000LL + st.st_mtim.tv_nsec};
}

std::string Shard(const TempDir& dir, int k, const std::string& ext) {
  return dir / ("out/feats." + std::to_string(k) + "." + ext);
}

std::vector<Stamp> StampsExcept(const TempDir& dir, int skip) {
  std::vector<Stamp> stamps;
  for (int k = 1; k <= kShards; ++k)
    if (k != skip) {
      stamps.push_back(StampOf(Shard(dir, k, "ark")));
      stamps.push_back(StampOf(Shard(dir, k, "done")));
    }
  return stamps;
}

// >= 500 utterances as wav.scp: FSDD (every 5th recording, 8 kHz) or
// generated audio, plus one corrupt file, and one entry read through a pipe
// that waits while `block` exists (so a task can be killed half-way).
struct Corpus {
  int good = 0;             // utterances that must be extracted
  std::string options;      // feature options for this audio
};

Corpus MakeCorpus(const TempDir& dir) {
  std::vector<std::string> wavs;
  if (const std::string fsdd = FsddDir(); !fsdd.empty()) {
    for (const auto& e : fs::directory_iterator(fsdd))
      if (e.path().extension() == ".wav") wavs.push_back(e.path().string());
    std::sort(wavs.begin(), wavs.end());
    std::vector<std::string> every5th;
    for (std::size_t i = 0; i < wavs.size(); i += 5) every5th.push_back(wavs[i]);
    wavs = every5th;
  }
  if (wavs.size() < 520) {
    MESSAGE("FSDD absent or incomplete: using 520 generated utterances");
    wavs.clear();
    fs::create_directories(dir / "gen");
    for (int i = 0; i < 520; ++i) {
      wavs.push_back(dir / ("gen/u" + std::to_string(i) + ".wav"));
      WriteTestWav(wavs.back(), 0.25 + 0.01 * (i % 40), 8000, i + 1);
    }
  }
  WriteFile(dir / "corrupt.wav", "RIFF....WAVEfmt but no audio after this header");
  std::string scp;
  const std::size_t blocking = wavs.size() * 3 / 8;  // inside shard 2 of 4
  for (std::size_t i = 0; i < wavs.size(); ++i) {
    char key[32];
    std::snprintf(key, sizeof key, "utt%04zu ", i);
    if (i == blocking)
      scp += key + ("sh -c 'touch " + (dir / "blocked") + "; while [ -e " + (dir / "block") +
                    " ]; do sleep 0.1; done; cat " + wavs[i] + "' |\n");
    else
      scp += key + wavs[i] + "\n";
    if (i == wavs.size() * 7 / 8) scp += "utt" + std::to_string(i) + "x " + (dir / "corrupt.wav") + "\n";
  }
  WriteFile(dir / "wav.scp", scp);
  return {static_cast<int>(wavs.size()), "--sample-frequency 8000"};
}

// Same keys in the same order and bit-identical matrices; returns the count.
int CheckSameFeatures(const std::string& expected_scp, const std::string& actual_scp) {
  io::SequentialMatrixReader want("scp:" + expected_scp), got("scp:" + actual_scp);
  int n = 0;
  for (; !want.Done() && !got.Done(); want.Next(), got.Next(), ++n) {
    REQUIRE(got.Key() == want.Key());
    REQUIRE(got.Value().rows() == want.Value().rows());
    REQUIRE(got.Value().cols() == want.Value().cols());
    REQUIRE(std::memcmp(got.Value().data(), want.Value().data(),
                        sizeof(float) * want.Value().size()) == 0);
  }
  CHECK(want.Done());
  CHECK(got.Done());
  return n;
}

void CheckOutputMatchesReference(const TempDir& dir, const Corpus& corpus) {
  CHECK(CheckSameFeatures(dir / "ref.scp", dir / "out/feats.scp") == corpus.good);
  // Shards are contiguous, so the shard archives concatenate to the single archive.
  std::string joined;
  for (int k = 1; k <= kShards; ++k) joined += ReadFile(Shard(dir, k, "ark"));
  CHECK(joined == ReadFile(dir / "ref.ark"));
}

std::set<std::string> NodesInLogs(const TempDir& dir) {
  std::set<std::string> nodes;
  for (int k = 1; k <= kShards; ++k)
    for (const std::string& line :
         LinesWith(ReadFile(dir / ("out/log/feats." + std::to_string(k) + ".log")), " on node "))
      nodes.insert(line.substr(line.rfind(' ') + 1));
  return nodes;
}

}  // namespace

TEST_CASE("slurm-features: 4 array tasks on a 2-node Slurm equal one auris features run "
          "and killed or deleted shards are recomputed alone") {
  TempDir dir;
  LocalSlurm slurm(dir);
  if (!slurm.Ready()) {
    if (std::getenv("AURIS_REQUIRE_SLURM") != nullptr) FAIL("no local Slurm cluster: " << slurm.Problem());
    AURIS_SKIP_IF(true, "no local Slurm cluster (scripts/install-deps.sh --dev installs it): "
                            << slurm.Problem());
  }
  const Corpus corpus = MakeCorpus(dir);
  // sbatch options pass through (a wrong partition is refused below).
  const std::string args =
      "-j " + std::to_string(kShards) + " -p debug --time 5 " + corpus.options + " scp:wav.scp out";
  const std::string done_line = "Done " + std::to_string(corpus.good) + " of " +
                                std::to_string(corpus.good + 1) + " utterances, 1 failed";

  const CliResult ref = RunAuris("features --num-threads 2 " + corpus.options + " scp:wav.scp ark,scp:" +
                                     (dir / "ref.ark") + "," + (dir / "ref.scp"),
                                 dir);
  CHECK(ref.status == 1);
  REQUIRE_MESSAGE(Contains(ref.err, done_line), ref.err);

  // Run 1: shard 2's task hangs on its pipe input and is cancelled half-way.
  fs::remove(dir / "blocked");  // left by the reference run
  WriteFile(dir / "block", "x");
  auto first_run = std::async(std::launch::async, [&] { return RunLauncher(slurm, dir, args); });
  const bool blocked = WaitForFile(dir / "blocked", 60) &&
                       WaitForFile(dir / "out/slurm-features.jobid", 10, true);
  std::string jobid;
  if (blocked) {
    jobid = ReadFile(dir / "out/slurm-features.jobid");
    jobid.pop_back();
    CHECK(RunCommand(slurm.Env() + "scancel " + jobid + "_2") == 0);
  }
  fs::remove(dir / "block");
  const Launch first = first_run.get();
  REQUIRE_MESSAGE(blocked, first.err);
  CHECK(first.status == 3);
  CHECK_MESSAGE(Contains(first.err, "shard 2/4 (job " + jobid + "_2) failed; log " +
                                        (dir / "out/log/feats.2.log") + ": "),
                first.err);
  CHECK_MESSAGE(Contains(first.err, "CANCELLED"), first.err);
  CHECK_MESSAGE(Contains(first.err, "1 of 4 submitted shards failed"), first.err);
  // The killed task left no complete-looking shard and no merged output.
  CHECK(!fs::exists(Shard(dir, 2, "ark")));
  CHECK(!fs::exists(Shard(dir, 2, "scp")));
  CHECK(!fs::exists(Shard(dir, 2, "done")));
  CHECK(!fs::exists(dir / "out/feats.scp"));
  for (int k : {1, 3, 4}) CHECK(fs::exists(Shard(dir, k, "done")));
  // One node was held by the hanging task, so the others ran on the second one.
  CHECK(NodesInLogs(dir) == std::set<std::string>{"n1", "n2"});

  // Run 2: only shard 2 is resubmitted; the output equals the single run.
  std::vector<Stamp> kept = StampsExcept(dir, 2);
  const Launch second = RunLauncher(slurm, dir, args);
  CHECK(second.status == 1);  // the corrupt file
  CHECK_MESSAGE(Contains(second.err, "shards 2 of 4"), second.err);
  CHECK_MESSAGE(Contains(second.err, "1 input(s) failed"), second.err);
  CHECK_MESSAGE(Contains(second.err, dir / "corrupt.wav"), second.err);
  CHECK(StampsExcept(dir, 2) == kept);
  CheckOutputMatchesReference(dir, corpus);

  // Run 3: a finished shard deleted; only it is recomputed.
  fs::remove(Shard(dir, 3, "ark"));
  kept = StampsExcept(dir, 3);
  const Launch third = RunLauncher(slurm, dir, args);
  CHECK(third.status == 1);
  CHECK_MESSAGE(Contains(third.err, "shards 3 of 4"), third.err);
  CHECK(StampsExcept(dir, 3) == kept);
  CheckOutputMatchesReference(dir, corpus);

  // Run 4: everything complete, nothing submitted; the corrupt file is still reported.
  kept = StampsExcept(dir, 0);
  const Launch fourth = RunLauncher(slurm, dir, args);
  CHECK(fourth.status == 1);
  CHECK_MESSAGE(Contains(fourth.err, "nothing to submit"), fourth.err);
  CHECK_MESSAGE(Contains(fourth.err, dir / "corrupt.wav"), fourth.err);
  CHECK(StampsExcept(dir, 0) == kept);
  CheckOutputMatchesReference(dir, corpus);

  // Other options on the same output directory are refused, nothing is touched.
  const Launch other = RunLauncher(slurm, dir, "-j 3 " + corpus.options + " scp:wav.scp out");
  CHECK(other.status == 2);
  CHECK_MESSAGE(Contains(other.err, "holds shards of another command"), other.err);
  CHECK(StampsExcept(dir, 0) == kept);

  // sbatch's own refusal is passed on.
  const Launch nowhere = RunLauncher(slurm, dir, "-j 2 -p no-such-partition scp:wav.scp elsewhere");
  CHECK(nowhere.status == 3);
  CHECK_MESSAGE(Contains(nowhere.err, "sbatch failed: sbatch: error: invalid partition"), nowhere.err);

  // A task that fails outright: its log path and auris's error line.
  const Launch bad = RunLauncher(slurm, dir, "-j 2 --no-such-option scp:wav.scp bad");
  CHECK(bad.status == 3);
  CHECK_MESSAGE(Contains(bad.err, "shard 1/2 (job "), bad.err);
  CHECK_MESSAGE(Contains(bad.err, "log " + (dir / "bad/log/feats.1.log") +
                                      ": The following argument was not expected: --no-such-option"),
                bad.err);
}

TEST_CASE("slurm-features: clear errors without Slurm and for wrong arguments") {
  TempDir dir;
  std::string out;
  const std::string launcher = "cd '" + dir.path().string() + "' && '" + Launcher() + "' ";
  // Only builtins run before the Slurm check, so an empty PATH is enough.
  CHECK(RunCommand("cd '" + dir.path().string() + "' && PATH=/nonexistent /bin/bash '" + Launcher() +
                       "' -j 2 in out",
                   &out) == 3);
  CHECK_MESSAGE(Contains(out, "Slurm not found: 'sbatch' is not on PATH"), out);
  CHECK(!fs::exists(dir / "out"));

  CHECK(RunCommand(launcher + "in out", &out) == 2);
  CHECK_MESSAGE(Contains(out, "--jobs N is required"), out);
  CHECK(RunCommand(launcher + "-j 2 --shard 1/2 in out", &out) == 2);
  CHECK_MESSAGE(Contains(out, "--shard is set by the launcher"), out);
  CHECK(RunCommand(launcher + "-j 0 in out", &out) == 2);
  CHECK(RunCommand(launcher + "-j 2 --sbatch-option=--output=x.log in out", &out) == 2);
  CHECK_MESSAGE(Contains(out, "set by the launcher"), out);
  CHECK(RunCommand(launcher + "-j 2 list:- out", &out) == 2);
  CHECK_MESSAGE(Contains(out, "cannot read the launcher's stdin"), out);
  CHECK(RunCommand(launcher + "--help", &out) == 0);
  CHECK(Contains(out, "--cpus-per-task"));
}
