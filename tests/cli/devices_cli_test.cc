// auris devices through the virtual microphone (../shared/testing/virtual-mic):
// the ALSA device it defines is listed; without its feed file there is no
// input device. The child inherits the environment set here.
#include <doctest/doctest.h>

#include <cstdlib>
#include <filesystem>
#include <string>

#include <nlohmann/json.hpp>

#include "cli_support.h"

using namespace auris::test;

namespace {

std::string VirtualMicConfig() {
  const std::string path = std::string(AURIS_SHARED_DIR) + "/testing/virtual-mic/asound.conf";
  return std::filesystem::exists(path) ? path : "";
}

void UseVirtualMic(const std::string& feed, const char* rate) {
  setenv("ALSA_CONFIG_PATH", VirtualMicConfig().c_str(), 1);
  setenv("VMIC_FILE", feed.c_str(), 1);
  setenv("VMIC_RATE", rate, 1);
}

}  // namespace

TEST_CASE("auris devices lists the virtual microphone, text and JSON, without JACK noise") {
  AURIS_SKIP_IF(VirtualMicConfig().empty(), "../shared/testing/virtual-mic absent");
  TempDir dir;
  WriteFile(dir / "feed.raw", std::string(3200, '\0'));
  UseVirtualMic(dir / "feed.raw", "48000");
  CliResult r = RunAuris("devices", dir);
  CHECK(r.status == 0);
  CHECK(r.out == "0\tdefault\tALSA\t48000 Hz\t128 ch\tdefault\n");
  // libjack's "Cannot connect to server" lines are routed to a no-op.
  CHECK(r.err.empty());
  r = RunAuris("devices --json", dir);
  REQUIRE(r.status == 0);
  const nlohmann::json j = nlohmann::json::parse(r.out);
  CHECK(j["index"] == 0);
  CHECK(j["name"] == "default");
  CHECK(j["host_api"] == "ALSA");
  CHECK(j["default_rate"] == 48000.0);
  CHECK(j["channels"] == 128);
  CHECK(j["default"] == true);
}

TEST_CASE("auris devices without an input device: message and exit status 1") {
  AURIS_SKIP_IF(VirtualMicConfig().empty(), "../shared/testing/virtual-mic absent");
  TempDir dir;
  UseVirtualMic(dir / "missing.raw", "16000");
  const CliResult r = RunAuris("devices", dir);
  CHECK(r.status == 1);
  CHECK(r.out.empty());
  CHECK(r.err == "auris devices: no input devices\n");
}
