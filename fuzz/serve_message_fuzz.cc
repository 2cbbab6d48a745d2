// libFuzzer target for the text messages a WebSocket client of `auris serve`
// sends: any input is parsed or refused with auris::Error, and a parsed
// header is within the limits the server relies on.
#include <string>

#include "auris/core/error.h"
#include "auris/serve/protocol.h"
#include "fuzz_support.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace auris;
  serve::ClientMessage m;
  try {
    m = serve::ParseClientMessage(std::string(reinterpret_cast<const char*>(data), size));
  } catch (const Error&) {
    return 0;
  }
  if (m.kind == serve::ClientMessage::Kind::kEof) return 0;
  const serve::AudioFormat& f = m.format;
  fuzz::Require(f.sample_rate_hz >= 1000 && f.sample_rate_hz <= 384000 && f.channels >= 1 && f.channels <= 32);
  fuzz::Require(m.keywords.size() <= 256 && m.threshold >= 0 && m.threshold <= 1);
  fuzz::Require(m.threshold == 0 || !m.keywords.empty());
  for (const std::string& k : m.keywords) fuzz::Require(!k.empty() && k.size() <= 64);
  return 0;
}
