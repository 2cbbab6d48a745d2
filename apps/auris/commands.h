// Subcommand registration: each command file defines Register<Name>() which
// adds its CLI11 subcommand and sets the function to run when chosen.
#pragma once

#include <CLI/CLI.hpp>

#include <functional>

namespace auris::cli {

class Registry {
 public:
  void Set(std::function<int()> run) { run_ = std::move(run); }
  int Run() const { return run_ ? run_() : 2; }

 private:
  std::function<int()> run_;
};

void RegisterFeatures(CLI::App& app, Registry& registry);

inline void RegisterAll(CLI::App& app, Registry& registry) {
  RegisterFeatures(app, registry);
}

}  // namespace auris::cli
