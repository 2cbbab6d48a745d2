// Shared helpers for the doctest suites: paths to reference data, the FSDD
// corpus and temporary directories. Tolerances for reference comparisons live
// in tolerances.h, in one place.
#pragma once

#include <doctest/doctest.h>

#include <filesystem>
#include <initializer_list>
#include <string>
#include <vector>

namespace auris::test {

// Directory where tests/reference/make_*.py wrote their output.
std::string RefDir();
// Path of a reference file; empty string if it does not exist.
std::string RefFile(const std::string& name);
// ../shared/data/fsdd/recordings, or "" if absent.
std::string FsddDir();
// ../shared/data/an4 (CMU AN4), or "" if absent.
std::string An4Dir();
std::string SourceDir();

// A fresh directory removed at the end of the scope.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::filesystem::path& path() const { return path_; }
  std::string operator/(const std::string& name) const { return (path_ / name).string(); }

 private:
  std::filesystem::path path_;
};

// Runs a shell command, returns its exit status; stdout+stderr go to *output.
int RunCommand(const std::string& command, std::string* output = nullptr);

// A word of the bundled sample data/samples/digit_string.wav, from its CTM
// (the truth of how it was built, data/samples/README.md).
struct SampleWord {
  std::string word;
  double start_s = 0, end_s = 0;
};
// The sample's words, once per offset (seconds added to their times), in order.
std::vector<SampleWord> SampleWords(std::initializer_list<double> offsets = {0.0});
// The sample's words joined by single spaces.
std::string SampleText();

std::string ReadFile(const std::string& path);
void WriteFile(const std::string& path, const std::string& bytes);

// Exit status of a test binary in which nothing failed but something was
// skipped: CTest reports the test as skipped, not passed (SKIP_RETURN_CODE,
// set by auris_discover_tests in tests/CMakeLists.txt).
inline constexpr int kSkipExitCode = 77;
// Records that the running test case skipped (part of) its checks, after
// saying why; test_main.cc then exits with kSkipExitCode unless a check failed.
void MarkSkipped();
int NumSkipped();

}  // namespace auris::test

// Skips the rest of a test case with a visible message (doctest has no SKIP).
#define AURIS_SKIP_IF(cond, why)                       \
  if (cond) {                                          \
    MESSAGE("SKIPPED: " << why);                       \
    ::auris::test::MarkSkipped();                      \
    return;                                            \
  }

// Requires a reference file, skipping with a message naming the generator.
#define AURIS_REQUIRE_REF(var, name)                                                 \
  const std::string var = ::auris::test::RefFile(name);                             \
  AURIS_SKIP_IF(var.empty(), "reference " << name << " not found in "                \
                                          << ::auris::test::RefDir()                 \
                                          << " (run tests/reference/ with torch)")
