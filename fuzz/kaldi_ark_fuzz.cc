// libFuzzer target for Kaldi archives (binary float and double, compressed
// CM/CM2/CM3, text): any input reads or throws auris::Error. The sequential
// and random-access readers agree on every entry (the latter seeks to the
// offsets the former found), and each matrix survives a binary write/read.
#include <set>
#include <sstream>
#include <vector>

#include "auris/core/error.h"
#include "auris/io/feature_reader.h"
#include "auris/io/kaldi_matrix.h"
#include "fuzz_support.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace auris;
  const std::string ark = "ark:" + fuzz::WriteInput(data, size, "input.ark");
  std::vector<std::pair<std::string, Matrix>> entries;
  try {
    for (io::SequentialMatrixReader reader(ark); !reader.Done(); reader.Next())
      entries.emplace_back(reader.Key(), reader.Value());
  } catch (const Error&) {
    return 0;
  }
  for (const auto& [key, m] : entries) {
    std::string bytes;
    io::AppendKaldiMatrix(m, true, &bytes);
    std::istringstream in(bytes);
    fuzz::Require(fuzz::SameBits(Matrix(io::ReadKaldiMatrixObject(in, "round-trip").cast<float>()), m));
  }
  // Random access refuses duplicate keys; otherwise it must not fail.
  std::set<std::string> keys;
  for (const auto& e : entries) keys.insert(e.first);
  if (keys.size() != entries.size()) return 0;
  const io::RandomAccessMatrixReader random(ark);
  fuzz::Require(random.Keys().size() == entries.size());
  for (const auto& [key, m] : entries) fuzz::Require(fuzz::SameBits(random.Value(key), m));
  return 0;
}
