#include "auris/io/npy.h"

#include <cstdint>
#include <cstring>
#include <fstream>
#include <iterator>
#include <sstream>

#include "auris/core/atomic_file.h"
#include "auris/core/error.h"

namespace auris::io {
namespace {

// Value of `key` in the header dict, e.g. 'descr': '<f4' -> <f4.
std::string HeaderField(const std::string& header, const std::string& key, const std::string& name) {
  const auto k = header.find("'" + key + "'");
  if (k == std::string::npos) throw MakeError(name, ": .npy header has no '", key, "'");
  auto colon = header.find(':', k);
  if (colon == std::string::npos) throw MakeError(name, ": malformed .npy header");
  auto start = header.find_first_not_of(' ', colon + 1);
  if (start == std::string::npos) throw MakeError(name, ": malformed .npy header");
  if (header[start] == '\'') {
    const auto end = header.find('\'', start + 1);
    if (end == std::string::npos) throw MakeError(name, ": malformed .npy header");
    return header.substr(start + 1, end - start - 1);
  }
  if (header[start] == '(') {
    const auto end = header.find(')', start);
    if (end == std::string::npos) throw MakeError(name, ": malformed .npy shape");
    return header.substr(start + 1, end - start - 1);
  }
  const auto end = header.find_first_of(",}", start);
  return header.substr(start, end - start);
}

template <typename T>
void Convert(const char* p, std::size_t n, std::vector<double>& out) {
  out.resize(n);
  for (std::size_t i = 0; i < n; ++i) {
    T v;
    std::memcpy(&v, p + i * sizeof(T), sizeof(T));
    out[i] = static_cast<double>(v);
  }
}

}  // namespace

NpyArray ParseNpy(const std::string& bytes, const std::string& name) {
  if (bytes.size() < 10 || bytes.compare(0, 6, "\x93NUMPY") != 0)
    throw MakeError(name, ": not a .npy file (bad magic)");
  const int major = static_cast<unsigned char>(bytes[6]);
  std::size_t header_len = 0, offset = 0;
  if (major == 1) {
    header_len = static_cast<unsigned char>(bytes[8]) | (static_cast<unsigned char>(bytes[9]) << 8);
    offset = 10;
  } else if (major == 2 || major == 3) {
    if (bytes.size() < 12) throw MakeError(name, ": truncated .npy header");
    std::uint32_t len;
    std::memcpy(&len, bytes.data() + 8, 4);
    header_len = len;
    offset = 12;
  } else {
    throw MakeError(name, ": unsupported .npy version ", major);
  }
  if (offset + header_len > bytes.size()) throw MakeError(name, ": truncated .npy header");
  const std::string header = bytes.substr(offset, header_len);
  offset += header_len;

  NpyArray a;
  a.dtype = HeaderField(header, "descr", name);
  if (HeaderField(header, "fortran_order", name).find("True") != std::string::npos)
    throw MakeError(name, ": Fortran-order .npy arrays are not supported");
  std::stringstream shape(HeaderField(header, "shape", name));
  std::string dim;
  std::size_t n = 1;
  while (std::getline(shape, dim, ',')) {
    if (dim.find_first_not_of(' ') == std::string::npos) continue;
    const long long d = std::stoll(dim);
    if (d < 0) throw MakeError(name, ": negative dimension in .npy shape");
    a.shape.push_back(static_cast<std::size_t>(d));
    n *= static_cast<std::size_t>(d);
  }
  if (a.dtype.size() < 3 || a.dtype[0] == '>')
    throw MakeError(name, ": unsupported .npy dtype '", a.dtype, "' (need little-endian)");
  const std::string kind = a.dtype.substr(1);
  std::size_t width = std::stoul(kind.substr(1));
  if (bytes.size() - offset < n * width)
    throw MakeError(name, ": truncated .npy data (need ", n * width, " bytes, have ",
                    bytes.size() - offset, ")");
  const char* p = bytes.data() + offset;
  if (kind == "f4") Convert<float>(p, n, a.values);
  else if (kind == "f8") Convert<double>(p, n, a.values);
  else if (kind == "i4") Convert<std::int32_t>(p, n, a.values);
  else if (kind == "i8") Convert<std::int64_t>(p, n, a.values);
  else if (kind == "u1" || a.dtype == "|u1") Convert<std::uint8_t>(p, n, a.values);
  else if (kind == "b1" || a.dtype == "|b1") Convert<std::uint8_t>(p, n, a.values);
  else throw MakeError(name, ": unsupported .npy dtype '", a.dtype, "'");
  return a;
}

NpyArray ReadNpy(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw MakeError(path, ": cannot open");
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  return ParseNpy(bytes, path);
}

MatrixD NpyArray::ToMatrixD() const {
  std::size_t rows = 1, cols = values.size();
  if (shape.size() >= 2) {
    rows = shape[0];
    cols = rows == 0 ? 0 : values.size() / rows;
  }
  MatrixD m(rows, cols);
  for (std::size_t i = 0; i < values.size(); ++i) m.data()[i] = values[i];
  return m;
}

Matrix NpyArray::ToMatrix() const { return ToMatrixD().cast<float>(); }

std::string NpyBytes(const Matrix& m) {
  std::string header = "{'descr': '<f4', 'fortran_order': False, 'shape': (" +
                       std::to_string(m.rows()) + ", " + std::to_string(m.cols()) + "), }";
  // Pad so the data starts on a 64-byte boundary, header ends with '\n'.
  const std::size_t total = 10 + header.size() + 1;
  header.append((64 - total % 64) % 64, ' ');
  header.push_back('\n');
  std::string out = "\x93NUMPY";
  out.push_back(1);
  out.push_back(0);
  out.push_back(static_cast<char>(header.size() & 0xff));
  out.push_back(static_cast<char>(header.size() >> 8));
  out += header;
  out.append(reinterpret_cast<const char*>(m.data()), m.size() * sizeof(float));
  return out;
}

void WriteNpy(const std::string& path, const Matrix& m) { WriteFileAtomically(path, NpyBytes(m)); }

}  // namespace auris::io
