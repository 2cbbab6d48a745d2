// auris — the command line. Each subcommand lives in its own file and
// registers itself here.
#include <CLI/CLI.hpp>

#include <cstdio>
#include <exception>

#include "commands.h"

int main(int argc, char** argv) {
  CLI::App app{"auris: speech features, LSTM + attention models, classification and CTC transcription"};
  app.require_subcommand(1);
  app.set_version_flag("--version", "auris 0.1.0");
  auris::cli::Registry registry;
  auris::cli::RegisterAll(app, registry);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  }
  try {
    return registry.Run();
  } catch (const std::exception& e) {
    std::fprintf(stderr, "auris: error: %s\n", e.what());
    return 1;
  }
}
