// Subcommand registration: each command file defines a Register<Name>()
// function that adds its CLI11 subcommand and sets the function to run when
// chosen, and lists it with AURIS_COMMAND(rank, Register<Name>) — rank fixes
// the order of `auris --help`, since static initialisation order across
// files is unspecified.
#pragma once

#include <CLI/CLI.hpp>

#include <algorithm>
#include <functional>
#include <utility>
#include <vector>

namespace auris::cli {

class Registry {
 public:
  void Set(std::function<int()> run) { run_ = std::move(run); }
  int Run() const { return run_ ? run_() : 2; }

 private:
  std::function<int()> run_;
};

using RegisterFn = void (*)(CLI::App&, Registry&);

inline std::vector<std::pair<int, RegisterFn>>& CommandList() {
  static std::vector<std::pair<int, RegisterFn>> list;
  return list;
}

struct CommandRegistrar {
  CommandRegistrar(int rank, RegisterFn fn) { CommandList().emplace_back(rank, fn); }
};

#define AURIS_COMMAND(rank, fn) \
  static const ::auris::cli::CommandRegistrar auris_command_registrar_##fn(rank, fn)

inline void RegisterAll(CLI::App& app, Registry& registry) {
  auto list = CommandList();
  std::sort(list.begin(), list.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  for (const auto& [rank, fn] : list) fn(app, registry);
}

}  // namespace auris::cli
