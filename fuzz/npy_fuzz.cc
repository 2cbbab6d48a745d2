// libFuzzer target for .npy files: any input parses or throws auris::Error.
// A parsed array's matrix has exactly its values, and a float32 matrix
// survives a write/parse round trip bit for bit.
#include "auris/core/error.h"
#include "auris/io/npy.h"
#include "fuzz_support.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace auris;
  io::NpyArray a;
  MatrixD m;
  try {
    a = io::ParseNpy(std::string(reinterpret_cast<const char*>(data), size), "fuzz.npy");
    m = a.ToMatrixD();
  } catch (const Error&) {
    return 0;
  }
  fuzz::Require(static_cast<std::size_t>(m.size()) == a.values.size());
  if (a.dtype == "<f4" && a.shape.size() == 2) {
    const Matrix f = a.ToMatrix();
    const io::NpyArray again = io::ParseNpy(io::NpyBytes(f), "round-trip");
    fuzz::Require(again.shape == a.shape && fuzz::SameBits(again.ToMatrix(), f));
  }
  return 0;
}
