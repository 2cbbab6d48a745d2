// libFuzzer target for HTK feature files: any input parses or throws
// auris::Error. A parsed file written back with its own header fields gives
// the same bytes.
#include "auris/core/error.h"
#include "auris/io/htk.h"
#include "fuzz_support.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace auris;
  const std::string bytes(reinterpret_cast<const char*>(data), size);
  io::HtkFile f;
  try {
    f = io::ParseHtk(bytes, "fuzz.htk");
  } catch (const Error&) {
    return 0;
  }
  const auto& h = f.header;
  fuzz::Require(f.features.rows() == h.num_frames && f.features.cols() * 4 == h.sample_size_bytes);
  // HtkBytes takes a positive period, a non-negative kind and >= 1 column.
  if (h.sample_period_100ns <= 0 || h.parm_kind < 0 || f.features.cols() == 0) return 0;
  io::HtkOptions options;
  options.frame_shift_ms = h.sample_period_100ns / 1e4;
  options.parm_kind = h.parm_kind;
  fuzz::Require(io::HtkBytes(f.features, options) == bytes);
  return 0;
}
