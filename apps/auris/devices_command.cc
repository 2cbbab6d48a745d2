// auris devices: list the audio input devices PortAudio sees.
#include <cstdio>
#include <memory>
#include <vector>

#include <nlohmann/json.hpp>

#include "auris/audio/microphone.h"
#include "commands.h"

namespace auris::cli {
namespace {

struct DevicesArgs {
  bool json = false;
};

int Run(const DevicesArgs& a) {
  const std::vector<audio::InputDevice> devices = audio::ListInputDevices();
  if (devices.empty()) {
    std::fprintf(stderr, "auris devices: no input devices\n");
    return 1;
  }
  for (const audio::InputDevice& d : devices) {
    if (a.json) {
      const nlohmann::json j = {{"index", d.index},          {"name", d.name},
                                {"host_api", d.host_api},    {"default_rate", d.default_rate},
                                {"channels", d.max_channels}, {"default", d.is_default}};
      std::printf("%s\n", j.dump().c_str());
    } else {
      std::printf("%d\t%s\t%s\t%g Hz\t%d ch%s\n", d.index, d.name.c_str(), d.host_api.c_str(),
                  d.default_rate, d.max_channels, d.is_default ? "\tdefault" : "");
    }
  }
  return 0;
}

void RegisterDevices(CLI::App& app, Registry& registry) {
  auto a = std::make_shared<DevicesArgs>();
  CLI::App* cmd = app.add_subcommand(
      "devices",
      "List audio input devices (for --device NAME|INDEX).\n"
      "  auris devices [--json]\n"
      "Text: <index> TAB <name> TAB <host API> TAB <default rate> Hz TAB <channels> ch [TAB default]\n"
      "--json: {\"index\", \"name\", \"host_api\", \"default_rate\", \"channels\", \"default\"} per line.\n"
      "No input device: a message on stderr and exit status 1.");
  cmd->add_flag("--json", a->json, "JSON lines output");
  cmd->callback([a, &registry] { registry.Set([a] { return Run(*a); }); });
}

}  // namespace

AURIS_COMMAND(80, RegisterDevices);

}  // namespace auris::cli
