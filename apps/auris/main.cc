// auris — the command line. Each subcommand lives in its own file and
// registers itself here.
#include <CLI/CLI.hpp>

#include <cstdio>
#include <exception>
#include <string>

#include "auris/core/isa.h"

#include "closed_pipe.h"
#include "commands.h"

int main(int argc, char** argv) {
  CLI::App app{"auris: speech features, LSTM + attention models, classification and CTC transcription"};
  app.require_subcommand(1);
  // The kernel set is chosen at run time: --version says which one runs.
  app.set_version_flag("--version", [] { return std::string("auris 0.1.0\n") + auris::IsaDescription(); });
  auris::cli::Registry registry;
  auris::cli::RegisterAll(app, registry);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  }
  auris::cli::CatchSigpipe();
  int status = 1;
  try {
    auris::CheckIsaEnvironment();
    status = registry.Run();
  } catch (const std::exception& e) {
    if (auris::cli::WroteToClosedPipe()) auris::cli::DieOfSigpipe();  // the reader went: nothing to report
    std::fprintf(stderr, "auris: error: %s\n", e.what());
    return 1;
  }
  // Results still buffered, or a failed write a command did not check.
  if (std::fflush(stdout) != 0 || std::ferror(stdout)) {
    if (auris::cli::WroteToClosedPipe()) auris::cli::DieOfSigpipe();
    std::fprintf(stderr, "auris: error: stdout: write failed\n");
    return 1;
  }
  return status;
}
