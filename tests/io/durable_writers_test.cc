// What each feature writer leaves on disk at every step: an earlier run's
// outputs stay whole until the new ones are complete, an scp never outlives
// its archive's replacement, an index.txt only describes a finished run, and
// a writer destroyed without Close() leaves no temporary behind.
#include <doctest/doctest.h>

#include <filesystem>

#include "auris/io/feature_writer.h"
#include "io_test_util.h"

using namespace auris;
using namespace auris::io;
using namespace auris::test;

namespace {

bool HasTemporaries(const std::filesystem::path& dir) {
  for (const auto& e : std::filesystem::recursive_directory_iterator(dir))
    if (e.path().filename().string().find(".tmp.") != std::string::npos) return true;
  return false;
}

void WriteRun(const std::string& spec, float value) {
  auto w = OpenFeatureWriter(spec);
  w->Write("a", Matrix::Constant(3, 4, value));
  w->Close();
}

}  // namespace

TEST_CASE("ark,scp over an earlier pair: the old pair until Close, the new pair after, never a mix") {
  TempDir dir;
  const std::string spec = "ark,scp:" + (dir / "f.ark") + "," + (dir / "f.scp");
  WriteRun(spec, 1);
  const std::string old_ark = ReadFile(dir / "f.ark"), old_scp = ReadFile(dir / "f.scp");
  {
    auto w = OpenFeatureWriter(spec);
    w->Write("a", Matrix::Constant(5, 4, 2));
    w->Write("b", Matrix::Constant(5, 4, 3));
    CHECK(ReadFile(dir / "f.ark") == old_ark);
    CHECK(ReadFile(dir / "f.scp") == old_scp);
  }  // destroyed without Close(): a failed run
  CHECK(ReadFile(dir / "f.ark") == old_ark);
  CHECK(ReadFile(dir / "f.scp") == old_scp);
  CHECK_FALSE(HasTemporaries(dir.path()));
  WriteRun(spec, 4);
  CHECK(ReadFile(dir / "f.ark") != old_ark);
  CHECK(ReadFile(dir / "f.scp") == "a " + (dir / "f.ark") + ":2\n");
}

TEST_CASE("npy:DIR over an earlier run: its index.txt goes when the writer opens, the new one comes at Close") {
  TempDir dir;
  const std::string spec = "npy:" + (dir / "np");
  WriteRun(spec, 1);
  REQUIRE(std::filesystem::exists(dir / "np/index.txt"));
  auto w = OpenFeatureWriter(spec);
  CHECK_FALSE(std::filesystem::exists(dir / "np/index.txt"));
  w->Write("a", Matrix::Constant(6, 2, 5));
  CHECK_FALSE(std::filesystem::exists(dir / "np/index.txt"));
  w->Close();
  CHECK(ReadFile(dir / "np/index.txt") == "a a.npy 6 2\n");
  CHECK_FALSE(HasTemporaries(dir.path()));
}
