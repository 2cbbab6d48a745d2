#include "auris/io/kaldi_matrix.h"

#include <charconv>
#include <cmath>
#include <cstring>
#include <fstream>
#include <iostream>
#include <vector>

#include "auris/core/error.h"
#include "io/kaldi_compressed.h"
#include "io/read_items.h"

namespace auris::io {
namespace {

void AppendInt32(std::int32_t v, std::string* out) {
  out->push_back(4);  // Kaldi's size byte
  char b[4];
  std::memcpy(b, &v, 4);  // little-endian host (x86-64/arm64), as Kaldi
  out->append(b, 4);
}

template <typename T>
void AppendText(T v, std::string* out) {
  if (std::isnan(v)) {
    out->append("nan");
  } else if (std::isinf(v)) {
    out->append(v > 0 ? "inf" : "-inf");
  } else {
    char buf[64];
    const auto r = std::to_chars(buf, buf + sizeof buf, v);
    out->append(buf, r.ptr);
  }
}

template <typename M>
void Append(const M& m, bool binary, const char* token, std::string* out) {
  using T = typename M::Scalar;
  if (m.rows() > INT32_MAX || m.cols() > INT32_MAX) throw MakeError("matrix too large for Kaldi format");
  if (binary) {
    out->append("\0B", 2);
    out->append(token);
    AppendInt32(static_cast<std::int32_t>(m.rows()), out);
    AppendInt32(static_cast<std::int32_t>(m.cols()), out);
    out->append(reinterpret_cast<const char*>(m.data()), sizeof(T) * static_cast<std::size_t>(m.size()));
    return;
  }
  if (m.cols() == 0 || m.rows() == 0) {
    out->append(" [ ]\n");
    return;
  }
  out->append(" [");
  for (Eigen::Index r = 0; r < m.rows(); ++r) {
    out->append("\n  ");
    for (Eigen::Index c = 0; c < m.cols(); ++c) {
      AppendText(m(r, c), out);
      out->push_back(' ');
    }
  }
  out->append("]\n");
}

std::int32_t ReadInt32(std::istream& in, const std::string& name, const char* what) {
  const int size = in.get();
  if (size != 4)
    throw MakeError(name, ": corrupt Kaldi matrix: expected size byte 4 before ", what, ", got ",
                    size == EOF ? std::string("end of file") : std::to_string(size));
  std::int32_t v;
  if (!in.read(reinterpret_cast<char*>(&v), 4)) throw MakeError(name, ": truncated Kaldi matrix (", what, ")");
  if (v < 0) throw MakeError(name, ": corrupt Kaldi matrix: negative ", what, " ", v);
  return v;
}

template <typename T>
MatrixD ReadBinaryValues(std::istream& in, std::int32_t rows, std::int32_t cols, const std::string& name) {
  // Two non-negative int32 multiply without overflow in 64 bits.
  const std::size_t n = static_cast<std::size_t>(rows) * static_cast<std::size_t>(cols);
  std::vector<T> values;
  if (!internal::ReadItems(in, n, &values))
    throw MakeError(name, ": truncated Kaldi matrix data (", rows, " x ", cols, " values declared)");
  MatrixD m(rows, cols);
  for (std::size_t i = 0; i < n; ++i) m.data()[i] = static_cast<double>(values[i]);
  return m;
}

MatrixD ReadBinary(std::istream& in, const std::string& name) {
  std::string token;
  char c;
  while (in.get(c) && c != ' ') {
    token.push_back(c);
    if (token.size() > 8) break;
  }
  if (token == "CM" || token == "CM2" || token == "CM3") return internal::ReadCompressedMatrix(in, token, name);
  if (token != "FM" && token != "DM")
    throw MakeError(name, ": not a Kaldi float/double matrix (token '", token, "', expected FM or DM)");
  const std::int32_t rows = ReadInt32(in, name, "the row count");
  const std::int32_t cols = ReadInt32(in, name, "the column count");
  return token == "FM" ? ReadBinaryValues<float>(in, rows, cols, name)
                       : ReadBinaryValues<double>(in, rows, cols, name);
}

MatrixD ReadText(std::istream& in, const std::string& name) {
  std::vector<double> values;
  std::size_t cols = 0, row_len = 0;
  std::string token;
  bool closed = false;
  auto end_row = [&] {
    if (row_len == 0) return;
    if (cols == 0) cols = row_len;
    if (row_len != cols)
      throw MakeError(name, ": text Kaldi matrix has rows of different lengths (", cols, " and ", row_len, ")");
    row_len = 0;
  };
  auto flush_token = [&] {
    if (token.empty()) return;
    char* end = nullptr;
    const double v = std::strtod(token.c_str(), &end);
    if (end != token.c_str() + token.size())
      throw MakeError(name, ": bad number '", token, "' in text Kaldi matrix");
    values.push_back(v);
    ++row_len;
    token.clear();
  };
  char c;
  while (in.get(c)) {
    if (c == ']') {
      flush_token();
      end_row();
      closed = true;
      break;
    }
    if (c == '\n') {
      flush_token();
      end_row();
    } else if (c == ' ' || c == '\t' || c == '\r') {
      flush_token();
    } else {
      token.push_back(c);
    }
  }
  if (!closed) throw MakeError(name, ": truncated text Kaldi matrix (no closing ']')");
  // Kaldi ends the object with a newline; consume it so the next key starts clean.
  if (in.peek() == '\n') in.get();
  const std::size_t rows = cols == 0 ? 0 : values.size() / cols;
  MatrixD m(rows, cols);
  for (std::size_t i = 0; i < values.size(); ++i) m.data()[i] = values[i];
  return m;
}

}  // namespace

void AppendKaldiMatrix(const Matrix& m, bool binary, std::string* out) { Append(m, binary, "FM ", out); }
void AppendKaldiMatrix(const MatrixD& m, bool binary, std::string* out) { Append(m, binary, "DM ", out); }

MatrixD ReadKaldiMatrixObject(std::istream& in, const std::string& name) {
  int c = in.peek();
  while (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
    in.get();
    c = in.peek();
  }
  if (c == EOF) throw MakeError(name, ": expected a Kaldi matrix, found end of file");
  if (c == '\0') {
    in.get();
    if (in.get() != 'B') throw MakeError(name, ": corrupt Kaldi binary header (expected \\0B)");
    return ReadBinary(in, name);
  }
  if (c == '[') {
    in.get();
    return ReadText(in, name);
  }
  throw MakeError(name, ": not a Kaldi matrix (starts with byte ", c, ")");
}

RxFilename ParseRxFilename(const std::string& rx) {
  const auto colon = rx.rfind(':');
  if (colon == std::string::npos || colon == 0 || colon + 1 == rx.size()) return {rx, -1};
  const std::string digits = rx.substr(colon + 1);
  if (digits.find_first_not_of("0123456789") != std::string::npos) return {rx, -1};
  long long offset = 0;
  if (std::from_chars(digits.data(), digits.data() + digits.size(), offset).ec != std::errc())
    throw MakeError(rx, ": offset ", digits, " is too large");
  return {rx.substr(0, colon), offset};
}

MatrixD ReadKaldiMatrixD(const std::string& rxfilename) {
  const RxFilename rx = ParseRxFilename(rxfilename);
  if (rx.path == "-") {
    if (rx.offset >= 0) throw MakeError(rxfilename, ": cannot seek in stdin");
    return ReadKaldiMatrixObject(std::cin, "stdin");
  }
  std::ifstream in(rx.path, std::ios::binary);
  if (!in) throw MakeError(rx.path, ": cannot open");
  if (rx.offset >= 0 && !in.seekg(rx.offset)) throw MakeError(rxfilename, ": cannot seek to offset ", rx.offset);
  return ReadKaldiMatrixObject(in, rxfilename);
}

Matrix ReadKaldiMatrix(const std::string& rxfilename) { return ReadKaldiMatrixD(rxfilename).cast<float>(); }

}  // namespace auris::io
