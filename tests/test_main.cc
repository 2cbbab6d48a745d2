// doctest's main, plus the skip status: a run whose checks all passed but
// that skipped some (AURIS_SKIP_IF) exits with kSkipExitCode, so CTest shows
// it as skipped instead of passed.
#define DOCTEST_CONFIG_IMPLEMENT
#include <doctest/doctest.h>

#include <cstdio>

#include "test_support.h"

int main(int argc, char** argv) {
  doctest::Context context(argc, argv);
  const int status = context.run();
  if (context.shouldExit() || status != 0 || auris::test::NumSkipped() == 0) return status;
  std::fprintf(stderr, "%d check(s) skipped: exit status %d (skipped)\n", auris::test::NumSkipped(),
               auris::test::kSkipExitCode);
  return auris::test::kSkipExitCode;
}
