// AtomicFile: the final name holds nothing until Commit(), and a file
// abandoned before it leaves no temporary behind.
#include <doctest/doctest.h>

#include <sys/stat.h>

#include <filesystem>
#include <iterator>
#include <thread>

#include "auris/core/atomic_file.h"
#include "auris/core/error.h"
#include "test_support.h"

using namespace auris;
using namespace auris::test;

TEST_CASE("AtomicFile: nothing under the final name before Commit, no temporary after a failure") {
  TempDir dir;
  const std::string path = dir / "out.bin";
  {
    AtomicFile f(path);
    f.Write("partial");
    f.Sync();
    CHECK_FALSE(std::filesystem::exists(path));
  }
  CHECK_FALSE(std::filesystem::exists(path));
  CHECK(std::filesystem::is_empty(dir.path()));
  AtomicFile f(path);
  f.Write("whole");
  f.Commit();
  CHECK(ReadFile(path) == "whole");
  CHECK_THROWS_AS(f.Write("more"), Error);
  CHECK_THROWS_WITH_AS(AtomicFile(dir / "no/such/dir/x"), doctest::Contains("no/such/dir/x: cannot create"), Error);
}

// `auris features ... ark:/dev/null` once renamed its temporary file over
// /dev/null, leaving a regular file there for every later process to read.
TEST_CASE("AtomicFile: a device or a pipe is written in place, never replaced") {
  {
    AtomicFile f("/dev/null");
    f.Write("discarded");
    f.Commit();
  }
  CHECK(std::filesystem::is_character_file("/dev/null"));
  CHECK(ReadFile("/dev/null").empty());

  TempDir dir;
  const std::string fifo = dir / "pipe";
  REQUIRE(mkfifo(fifo.c_str(), 0600) == 0);
  std::string got;
  std::thread reader([&] { got = ReadFile(fifo); });
  {
    AtomicFile f(fifo);
    f.Write("through the pipe");
    f.Commit();
  }
  reader.join();
  CHECK(got == "through the pipe");
  CHECK(std::filesystem::is_fifo(fifo));
  CHECK(std::distance(std::filesystem::directory_iterator(dir.path()), {}) == 1);  // no temporary left
}
