// .npy parsing: corrupt headers give an auris::Error naming the file and the
// problem, never an overflowed buffer or a bare std exception.
#include <doctest/doctest.h>

#include <cstring>

#include "auris/core/error.h"
#include "auris/io/npy.h"
#include "error_of.h"
#include "test_support.h"

using namespace auris;
using namespace auris::io;
using namespace auris::test;

namespace {

// A version-1 .npy file with the given header fields and data bytes.
std::string Npy(const std::string& descr, const std::string& shape, const std::string& data) {
  std::string header = "{'descr': '" + descr + "', 'fortran_order': False, 'shape': " + shape + ", }\n";
  std::string out = "\x93NUMPY";
  out += '\x01';
  out += '\x00';
  out += static_cast<char>(header.size() & 0xff);
  out += static_cast<char>(header.size() >> 8);
  return out + header + data;
}

std::string ReadError(const std::string& path) {
  return ErrorOf([&] { ReadNpy(path); });
}

bool Has(const std::string& s, const std::string& part) { return s.find(part) != std::string::npos; }

}  // namespace

TEST_CASE("npy: a shape whose element count overflows is refused, naming the file") {
  // 3 x 6148914691236517207 wraps to 5 elements of 8 bytes: exactly the data.
  TempDir dir;
  WriteFile(dir / "wrap.npy", Npy("<f8", "(3, 6148914691236517207)", std::string(40, '\0')));
  const std::string error = ReadError(dir / "wrap.npy");
  CHECK(Has(error, dir / "wrap.npy"));
  CHECK(Has(error, "more elements than fit in 64 bits"));
}

TEST_CASE("npy: a shape times the item size must equal the data size") {
  TempDir dir;
  const std::string f4x6(24, '\0');
  WriteFile(dir / "short.npy", Npy("<f4", "(2, 3)", f4x6.substr(0, 20)));
  WriteFile(dir / "long.npy", Npy("<f4", "(2, 3)", f4x6 + "xxxx"));
  // 2^62 elements of 4 bytes overflow to 0 bytes, which an empty file has.
  WriteFile(dir / "bytes_wrap.npy", Npy("<f4", "(4611686018427387904,)", ""));
  for (const char* name : {"short.npy", "long.npy", "bytes_wrap.npy"}) {
    CAPTURE(name);
    const std::string error = ReadError(dir / name);
    CHECK(Has(error, dir / name));
    CHECK(Has(error, "bytes but shape"));
  }
}

TEST_CASE("npy: a dimension that is not a number is an auris::Error naming the file") {
  TempDir dir;
  WriteFile(dir / "x.npy", Npy("<f4", "(x, 2)", std::string(8, '\0')));
  WriteFile(dir / "neg.npy", Npy("<f4", "(-1, 2)", std::string(8, '\0')));
  WriteFile(dir / "huge.npy", Npy("<f4", "(99999999999999999999999, 2)", ""));
  const std::string x = ReadError(dir / "x.npy"), neg = ReadError(dir / "neg.npy"), huge = ReadError(dir / "huge.npy");
  CHECK(Has(x, dir / "x.npy"));
  CHECK(Has(x, "bad dimension 'x'"));
  CHECK(Has(neg, dir / "neg.npy"));
  CHECK(Has(neg, "bad dimension '-1'"));
  CHECK(Has(huge, dir / "huge.npy"));
  CHECK(Has(huge, "too large"));
}

TEST_CASE("npy: ToMatrixD refuses a shape that does not match the values") {
  NpyArray a;
  a.shape = {3, 6148914691236517207};
  a.values.assign(5, 1.0);
  CHECK_THROWS_WITH_AS(a.ToMatrixD(), doctest::Contains("does not match its 5 values"), Error);
  a.shape = {2, 2};
  CHECK_THROWS_AS(a.ToMatrixD(), Error);
}

TEST_CASE("npy: 0-D, 1-D, 2-D and 3-D arrays become matrices of their values") {
  const double v[6] = {1, 2, 3, 4, 5, 6};
  const std::string f8(reinterpret_cast<const char*>(v), sizeof v);
  const MatrixD three = ParseNpy(Npy("<f8", "(2, 1, 3)", f8), "a").ToMatrixD();
  CHECK(three.rows() == 2);
  CHECK(three.cols() == 3);
  CHECK(three(1, 0) == 4);
  const MatrixD one = ParseNpy(Npy("<f8", "(6,)", f8), "b").ToMatrixD();
  CHECK(one.rows() == 1);
  CHECK(one.cols() == 6);
  const MatrixD zero = ParseNpy(Npy("<f8", "()", f8.substr(0, 8)), "c").ToMatrixD();
  CHECK(zero.size() == 1);
  CHECK(zero(0, 0) == 1);
  Matrix m(2, 3);
  m << 1, -2, 0.5f, 3e38f, 0, -0.0f;
  const Matrix back = ParseNpy(NpyBytes(m), "d").ToMatrix();
  CHECK(back == m);
}
