// Shared helpers for the doctest suites: paths to reference data, the FSDD
// corpus and temporary directories. Tolerances for reference comparisons live
// in tolerances.h, in one place.
#pragma once

#include <doctest/doctest.h>

#include <filesystem>
#include <string>

namespace auris::test {

// Directory where tests/reference/make_*.py wrote their output.
std::string RefDir();
// Path of a reference file; empty string if it does not exist.
std::string RefFile(const std::string& name);
// ../shared/data/fsdd/recordings, or "" if absent.
std::string FsddDir();
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

std::string ReadFile(const std::string& path);
void WriteFile(const std::string& path, const std::string& bytes);

}  // namespace auris::test

// Skips the rest of a test case with a visible message (doctest has no SKIP).
#define AURIS_SKIP_IF(cond, why)                       \
  if (cond) {                                          \
    MESSAGE("SKIPPED: " << why);                       \
    return;                                            \
  }

// Requires a reference file, skipping with a message naming the generator.
#define AURIS_REQUIRE_REF(var, name)                                                 \
  const std::string var = ::auris::test::RefFile(name);                             \
  AURIS_SKIP_IF(var.empty(), "reference " << name << " not found in "                \
                                          << ::auris::test::RefDir()                 \
                                          << " (run tests/reference/ with torch)")
