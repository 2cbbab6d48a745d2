// AtomicFile: the final name holds nothing until Commit(), and a file
// abandoned before it leaves no temporary behind.
#include <doctest/doctest.h>

#include <filesystem>

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
