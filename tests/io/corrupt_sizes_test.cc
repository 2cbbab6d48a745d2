// Sizes read from files: counts that overflow when multiplied, offsets and
// channels out of range. Each gives an auris::Error naming the file and the
// problem, never a bare std exception or undefined behaviour (the sanitizer
// build checks the latter).
#include <doctest/doctest.h>

#include <cstdint>
#include <cstring>
#include <sstream>

#include "auris/core/error.h"
#include "auris/io/feature_reader.h"
#include "auris/io/inputs.h"
#include "auris/io/kaldi_matrix.h"
#include "error_of.h"
#include "test_support.h"

using namespace auris;
using namespace auris::io;
using namespace auris::test;

namespace {

std::string KaldiInt(std::int32_t v) {
  std::string s(1, '\x04');
  s.append(reinterpret_cast<const char*>(&v), 4);
  return s;
}

bool Has(const std::string& s, const std::string& part) { return s.find(part) != std::string::npos; }

}  // namespace

TEST_CASE("Kaldi binary matrix: rows x cols x 8 wrapping to the data size is refused") {
  // 1073807362 x 2147352580 = 2^61 + 8 doubles, whose byte count wraps to 64
  // in 64 bits: exactly the bytes that follow.
  TempDir dir;
  WriteFile(dir / "wrap.ark", "u1 " + std::string("\0BDM ", 5) + KaldiInt(1073807362) + KaldiInt(2147352580) +
                                  std::string(64, '\0'));
  const std::string error = ErrorOf([&] { SequentialMatrixReader("ark:" + (dir / "wrap.ark")); });
  CHECK_MESSAGE(Has(error, dir / "wrap.ark: truncated Kaldi matrix data"), error);
}

TEST_CASE("Kaldi binary matrix from a stream that cannot seek: a corrupt size fails at the end of the data") {
  // std::cin on a pipe cannot tell its size: no up-front allocation of
  // 2^31 - 1 squared doubles, a clear error when the 16 bytes run out.
  struct NoSeek : std::stringbuf {
    using std::stringbuf::stringbuf;
    pos_type seekoff(off_type, std::ios_base::seekdir, std::ios_base::openmode) override { return -1; }
  };
  NoSeek buf(std::string("\0BDM ", 5) + KaldiInt(INT32_MAX) + KaldiInt(INT32_MAX) + std::string(16, '\0'));
  std::istream in(&buf);
  CHECK_THROWS_WITH_AS(ReadKaldiMatrixObject(in, "stdin"),
                       doctest::Contains("stdin: truncated Kaldi matrix data"), Error);
}

TEST_CASE("rxfilename: an offset beyond 64 bits is an auris::Error naming it") {
  CHECK_THROWS_WITH_AS(ParseRxFilename("feats.ark:99999999999999999999"),
                       doctest::Contains("feats.ark:99999999999999999999: offset 99999999999999999999 is too large"),
                       Error);
  CHECK(ParseRxFilename("feats.ark:9223372036854775807").offset == INT64_MAX);
}

TEST_CASE("segments: a channel beyond int range is refused with file and line") {
  TempDir dir;
  for (const char* channel : {"3000000000", "1e300"}) {
    CAPTURE(channel);
    WriteFile(dir / "segments", std::string("s1 rec1 0 1\ns2 rec1 1 2 ") + channel + "\n");
    const std::string error = ErrorOf([&] { ReadSegments(dir / "segments"); });
    CHECK_MESSAGE(Has(error, dir / "segments" + ":2: bad channel"), error);
  }
  WriteFile(dir / "segments", "s1 rec1 0 1 2147483647\n");
  CHECK(ReadSegments(dir / "segments").at(0).channel == 2147483647);
}
