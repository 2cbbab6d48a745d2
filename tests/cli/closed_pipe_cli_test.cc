// auris writing to a pipe whose reader has gone ends as Unix tools do: killed
// by SIGPIPE (status 141 in a shell), no error on stderr, and no output file
// or temporary left behind. scripts/demo.sh, whose last step pipes features
// into a reader that stops early, succeeds every time.
#include <doctest/doctest.h>

#include <csignal>
#include <filesystem>
#include <string>
#include <sys/wait.h>
#include <unistd.h>

#include "cli_support.h"
#include "test_support.h"

using namespace auris::test;
namespace fs = std::filesystem;

namespace {

struct Ended {
  int status = 0;  // waitpid status
  std::string err;
};

// Runs `auris <args>` in `dir` with stdout a pipe whose reader is already
// closed, so its first write to stdout fails, every time.
Ended RunIntoClosedPipe(const std::string& args, const TempDir& dir) {
  int p[2];
  REQUIRE(pipe(p) == 0);
  close(p[0]);
  const std::string cmd = "cd '" + dir.path().string() + "' && exec '" AURIS_EXE "' " + args + " 2>stderr.txt";
  const pid_t pid = fork();
  REQUIRE(pid >= 0);
  if (pid == 0) {
    dup2(p[1], STDOUT_FILENO);
    execl("/bin/sh", "sh", "-c", cmd.c_str(), static_cast<char*>(nullptr));
    _exit(127);
  }
  close(p[1]);
  Ended e;
  waitpid(pid, &e.status, 0);
  e.err = ReadFile(dir / "stderr.txt");
  fs::remove(dir / "stderr.txt");
  return e;
}

bool KilledBySigpipe(int status) { return WIFSIGNALED(status) && WTERMSIG(status) == SIGPIPE; }

std::vector<std::string> FilesIn(const TempDir& dir) {
  std::vector<std::string> names;
  for (const auto& e : fs::directory_iterator(dir.path())) names.push_back(e.path().filename().string());
  return names;
}

const std::string kSamples = SourceDir() + "/data/samples";

}  // namespace

TEST_CASE("auris features into a closed pipe: killed by SIGPIPE, quietly, no archive or temporary left") {
  TempDir dir;
  const std::string wav = kSamples + "/digit_string.wav";
  for (const std::string out : {"ark,t:-", "ark,scp,f:out.ark,-"}) {
    INFO(out);
    const Ended e = RunIntoClosedPipe("features --type fbank " + wav + " " + out, dir);
    INFO(e.err);
    CHECK(KilledBySigpipe(e.status));
    CHECK(LinesWith(e.err, "error").empty());
    CHECK(FilesIn(dir).empty());
  }
}

TEST_CASE("auris classify and transcribe into a closed pipe: killed by SIGPIPE, quietly") {
  TempDir dir;
  for (const std::string& args : {"classify --model " + SourceDir() + "/data/models/digits.safetensors " + kSamples +
                                     "/digit_string.wav",
                                 "transcribe --model " + SourceDir() + "/data/models/digits-ctc.safetensors " + kSamples +
                                     "/digit_string.wav"}) {
    INFO(args);
    const Ended e = RunIntoClosedPipe(args, dir);
    INFO(e.err);
    CHECK(KilledBySigpipe(e.status));
    CHECK(LinesWith(e.err, "error").empty());
  }
}

TEST_CASE("scripts/demo.sh succeeds every time (10 runs)") {
  for (int run = 0; run < 10; ++run) {
    std::string out;
    const int status = RunCommand("AURIS='" AURIS_EXE "' '" + SourceDir() + "/scripts/demo.sh'", &out);
    INFO("run " << run << ": " << out);
    REQUIRE(status == 0);
    CHECK(LinesWith(out, "[").size() >= 1);  // the features' first matrix line: "<uttid>  ["
  }
}
