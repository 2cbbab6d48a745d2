// libFuzzer target for Kaldi wav.scp files: any input is read or refused with
// auris::Error; every item read has an id without blanks and a path or a
// pipe command.
#include "auris/core/error.h"
#include "auris/io/inputs.h"
#include "fuzz_support.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace auris;
  std::vector<io::InputItem> items;
  try {
    items = io::ReadWavScp(fuzz::WriteInput(data, size, "wav.scp"));
  } catch (const Error&) {
    return 0;
  }
  for (const io::InputItem& item : items) {
    fuzz::Require(!item.uttid.empty() && item.uttid.find_first_of(" \t\n") == std::string::npos);
    fuzz::Require(item.path.empty() != item.command.empty());
  }
  return 0;
}
