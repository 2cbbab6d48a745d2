// Expanding inputs: wav.scp (files and pipes), segments, list files,
// directories; running pipe commands.
#include <doctest/doctest.h>

#include <filesystem>

#include "auris/core/error.h"
#include "auris/io/inputs.h"
#include "auris/io/pipe.h"
#include "test_support.h"

using namespace auris;
using namespace auris::io;
using namespace auris::test;

namespace {
bool Has(const std::string& s, const std::string& part) { return s.find(part) != std::string::npos; }
void Touch(const std::string& path) {
  std::filesystem::create_directories(std::filesystem::path(path).parent_path());
  WriteFile(path, "x");
}
}  // namespace

TEST_CASE("wav.scp: paths and pipe commands kept verbatim") {
  TempDir dir;
  WriteFile(dir / "wav.scp",
            "rec1 /data/a.wav\n"
            "\n"
            "rec2   sox /data/b.flac -t wav -r 16000 - |  \n"
            "rec3\tflac -c -d -s x.flac|\n");
  const auto items = ExpandInputs("scp:" + (dir / "wav.scp"));
  REQUIRE(items.size() == 3);
  CHECK(items[0].uttid == "rec1");
  CHECK(items[0].path == "/data/a.wav");
  CHECK(!items[0].IsPipe());
  CHECK(items[1].uttid == "rec2");
  CHECK(items[1].command == "sox /data/b.flac -t wav -r 16000 -");
  CHECK(items[1].path.empty());
  CHECK(items[2].command == "flac -c -d -s x.flac");
  WriteFile(dir / "dup.scp", "a x.wav\na y.wav\n");
  CHECK_THROWS_WITH_AS(ExpandInputs("scp:" + (dir / "dup.scp")), doctest::Contains("duplicate utterance id 'a'"), Error);
  WriteFile(dir / "bad.scp", "onlykey\n");
  CHECK_THROWS_WITH_AS(ReadWavScp(dir / "bad.scp"), doctest::Contains("bad.scp:1"), Error);
  CHECK_THROWS_WITH_AS(ReadWavScp(dir / "missing.scp"), doctest::Contains("cannot open"), Error);
}

TEST_CASE("segments: Kaldi fields, order of the segments file, errors with line numbers") {
  TempDir dir;
  WriteFile(dir / "wav.scp", "recA a.wav\nrecB cat b.wav |\nrecC c.wav\n");
  WriteFile(dir / "segments",
            "segB1 recB 0.5 1.25\n"
            "segA1 recA 0 -1\n"
            "segA2 recA 2.0 3.5 1\n");
  const auto items = ExpandInputs("scp:" + (dir / "wav.scp"), dir / "segments");
  REQUIRE(items.size() == 3);  // recC has no segment: dropped
  CHECK(items[0].uttid == "segB1");
  CHECK(items[0].command == "cat b.wav");
  CHECK(items[0].recording == "recB");
  CHECK(items[0].start == 0.5);
  CHECK(items[0].end == 1.25);
  CHECK(items[1].end == -1);
  CHECK(items[2].path == "a.wav");
  CHECK(items[2].channel == 1);
  for (const std::string bad : {"s1 recA 2 1\n", "s1 recA -1 2\n", "s1 recA x 2\n", "s1 recA 1\n",
                                "s1 recA 1 2 -1\n"}) {
    WriteFile(dir / "bad", "ok recA 0 1\n" + bad);
    CHECK_THROWS_WITH_AS(ExpandInputs("scp:" + (dir / "wav.scp"), dir / "bad"), doctest::Contains("bad:2"), Error);
  }
  WriteFile(dir / "unknown", "s1 recZ 0 1\n");
  CHECK_THROWS_WITH_AS(ExpandInputs("scp:" + (dir / "wav.scp"), dir / "unknown"), doctest::Contains("recZ"), Error);
}

TEST_CASE("directories: recursive, audio extensions only, sorted, ids from relative paths") {
  TempDir dir;
  const std::string root = dir / "corpus";
  for (const std::string f : {"b/z.wav", "a.FLAC", "b/a.mp3", "notes.txt", "c/d/e.ogg", "b/y.WAV", "x.json"})
    Touch(root + "/" + f);
  const auto items = ExpandInputs(root);
  std::vector<std::string> ids, paths;
  for (const auto& i : items) {
    ids.push_back(i.uttid);
    paths.push_back(std::filesystem::relative(i.path, root).generic_string());
  }
  CHECK(paths == std::vector<std::string>{"a.FLAC", "b/a.mp3", "b/y.WAV", "b/z.wav", "c/d/e.ogg"});
  CHECK(ids == std::vector<std::string>{"a", "b-a", "b-y", "b-z", "c-d-e"});
}

TEST_CASE("list files, single files and duplicate stems") {
  TempDir dir;
  Touch(dir / "x/one.wav");
  Touch(dir / "y/two.flac");
  Touch(dir / "y/one.wav");
  WriteFile(dir / "files.lst", "# comment\n" + (dir / "x/one.wav") + "\n\n  " + (dir / "y/two.flac") + "  \n");
  auto items = ExpandInputs("list:" + (dir / "files.lst"));
  REQUIRE(items.size() == 2);
  CHECK(items[0].uttid == "one");
  CHECK(items[1].uttid == "two");
  CHECK(ExpandInputs(dir / "files.lst").size() == 2);  // .lst extension: a list too
  items = ExpandInputs(dir / "y/two.flac");
  REQUIRE(items.size() == 1);
  CHECK(items[0].uttid == "two");
  CHECK(items[0].path == dir / "y/two.flac");
  // A missing file stays an item; reading it reports the error per file.
  CHECK(ExpandInputs(dir / "gone.wav").at(0).uttid == "gone");
  const std::string e = [&] {
    try {
      ExpandInputs(std::vector<std::string>{dir / "x/one.wav", dir / "y/one.wav"});
    } catch (const Error& err) {
      return std::string(err.what());
    }
    return std::string();
  }();
  CHECK(Has(e, "duplicate utterance id 'one'"));
  CHECK(Has(e, dir / "x/one.wav"));
  CHECK(Has(e, dir / "y/one.wav"));
}

TEST_CASE("pipe commands: output bytes, failures name utterance, command and status") {
  CHECK(ReadPipeOutput("printf 'a\\0b'", "u1") == std::string("a\0b", 3));
  // Large stdout while writing to stderr too must not deadlock.
  const std::string big = ReadPipeOutput("head -c 3000000 /dev/zero; echo noise >&2", "u2");
  CHECK(big.size() == 3000000);
  try {
    ReadPipeOutput("echo partial; echo 'sox FAIL: no such file' >&2; exit 3", "utt42");
    FAIL("no error");
  } catch (const Error& e) {
    const std::string what = e.what();
    CHECK(Has(what, "utt42"));
    CHECK(Has(what, "exit 3"));
    CHECK(Has(what, "exit status 3"));
    CHECK(Has(what, "sox FAIL: no such file"));
  }
  CHECK_THROWS_WITH_AS(ReadPipeOutput("kill -9 $$", "u3"), doctest::Contains("exit status 137"), Error);
  CHECK_THROWS_WITH_AS(ReadPipeOutput("no-such-command-xyz", "u4"), doctest::Contains("exit status 127"), Error);
  CHECK_THROWS_WITH_AS(ReadPipeOutput("true", "u5"), doctest::Contains("no output"), Error);
  // The command does not read our stdin.
  CHECK(RunCommandCapture("cat").stdout_bytes.empty());
}
