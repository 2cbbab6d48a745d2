// libFuzzer target for the safetensors parser: any input must either parse
// or throw auris::Error — never crash, hang or trip a sanitizer. A file that
// parses must survive a write/parse round trip unchanged (names, shapes,
// metadata, float bits).
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <string>

#include "auris/core/error.h"
#include "auris/io/safetensors.h"

namespace {

bool SameTensors(const auris::io::SafetensorsFile& a, const auris::io::SafetensorsFile& b) {
  if (a.metadata != b.metadata || a.tensors.size() != b.tensors.size()) return false;
  for (std::size_t i = 0; i < a.tensors.size(); ++i) {
    const auto& x = a.tensors[i];
    const auto& y = b.tensors[i];
    if (x.name != y.name || x.shape != y.shape || x.data.size() != y.data.size()) return false;
    if (!x.data.empty() && std::memcmp(x.data.data(), y.data.data(), x.data.size() * sizeof(float)) != 0)
      return false;
  }
  return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string bytes(reinterpret_cast<const char*>(data), size);
  auris::io::SafetensorsFile file;
  try {
    file = auris::io::ParseSafetensors(bytes, "fuzz-input");
  } catch (const auris::Error&) {
    return 0;  // rejected cleanly
  }
  // Zero-size tensors may share an offset with a neighbour, so their order
  // after the round trip may differ; compare only when there are none.
  for (const auto& t : file.tensors)
    if (t.data.empty()) return 0;
  const auto again = auris::io::ParseSafetensors(auris::io::SafetensorsBytes(file), "round-trip");
  if (!SameTensors(file, again)) std::abort();
  return 0;
}
