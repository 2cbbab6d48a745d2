// libFuzzer target for Kaldi scp files: any input is read or refused with
// auris::Error. Entries may point into a fixed archive beside the input
// ("a.ark" or "a.ark:OFFSET", the process runs in that directory); an input
// naming any other file is only indexed, so the fuzzer never opens arbitrary
// files (devices, pipes) of the machine it runs on.
#include <unistd.h>

#include <filesystem>
#include <regex>
#include <sstream>

#include "auris/core/error.h"
#include "auris/io/feature_reader.h"
#include "auris/io/kaldi_ark_writer.h"
#include "auris/io/kaldi_matrix.h"
#include "fuzz_support.h"

namespace {

bool OnlyLocalArchive(const std::string& scp) {
  static const std::regex kLine(R"([ \t\r]*([^ \t\r\v\f]+[ \t]+a\.ark(:[0-9]+)?[ \t\r]*)?)");
  std::istringstream in(scp);
  for (std::string line; std::getline(in, line);)
    if (!std::regex_match(line, kLine)) return false;
  return true;
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  using namespace auris;
  // Three entries, each at a known offset: 0, and after each previous one.
  std::string ark = "f ";
  io::AppendKaldiMatrix(Matrix(Matrix::Constant(2, 3, 1.5f)), true, &ark);
  ark += "d ";
  io::AppendKaldiMatrix(MatrixD(MatrixD::Constant(1, 2, -2.0)), true, &ark);
  ark += "t ";
  io::AppendKaldiMatrix(Matrix(Matrix::Constant(2, 2, 0.25f)), false, &ark);
  const std::string path = fuzz::WriteInput(reinterpret_cast<const std::uint8_t*>(ark.data()), ark.size(), "a.ark");
  std::filesystem::current_path(std::filesystem::path(path).parent_path());
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace auris;
  const std::string text(reinterpret_cast<const char*>(data), size);
  const std::string scp = "scp:" + fuzz::WriteInput(data, size, "input.scp");
  try {
    const io::RandomAccessMatrixReader index(scp);  // parses lines, opens nothing
    if (!OnlyLocalArchive(text)) return 0;
    for (io::SequentialMatrixReader reader(scp); !reader.Done(); reader.Next())
      fuzz::Require(fuzz::SameBits(reader.Value(), index.Value(reader.Key())));
  } catch (const Error&) {
  }
  return 0;
}
