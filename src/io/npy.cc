#include "auris/io/npy.h"

#include <charconv>
#include <cstdint>
#include <cstring>
#include <fstream>
#include <iterator>
#include <limits>
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

// One shape entry: decimal digits only (a garbage or oversized dimension is
// reported, not thrown as std::invalid_argument / std::out_of_range).
std::size_t ParseDim(const std::string& text, const std::string& name) {
  const auto a = text.find_first_not_of(" \t");
  const auto b = text.find_last_not_of(" \t");
  const std::string dim = text.substr(a, b - a + 1);
  std::size_t d = 0;
  const auto r = std::from_chars(dim.data(), dim.data() + dim.size(), d);
  if (r.ec == std::errc::result_out_of_range)
    throw MakeError(name, ": .npy shape dimension ", dim, " is too large");
  if (r.ec != std::errc() || r.ptr != dim.data() + dim.size())
    throw MakeError(name, ": bad dimension '", dim, "' in .npy shape (expected a non-negative integer)");
  return d;
}

// Bytes per element of the dtypes read here; 0 for any other.
std::size_t ItemSize(const std::string& dtype) {
  if (dtype.size() != 3 || (dtype[0] != '<' && dtype[0] != '|' && dtype[0] != '=')) return 0;
  const std::string kind = dtype.substr(1);
  if (kind == "f4" || kind == "i4") return 4;
  if (kind == "f8" || kind == "i8") return 8;
  if (kind == "u1" || kind == "b1") return 1;
  return 0;
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
  const std::string shape_text = HeaderField(header, "shape", name);
  std::stringstream shape(shape_text);
  std::string dim;
  std::size_t n = 1;
  while (std::getline(shape, dim, ',')) {
    if (dim.find_first_not_of(" \t") == std::string::npos) continue;
    a.shape.push_back(ParseDim(dim, name));
    if (__builtin_mul_overflow(n, a.shape.back(), &n))
      throw MakeError(name, ": .npy shape (", shape_text, ") has more elements than fit in 64 bits");
  }
  const std::size_t width = ItemSize(a.dtype);
  if (width == 0)
    throw MakeError(name, ": unsupported .npy dtype '", a.dtype, "' (need little-endian f4, f8, i4, i8, u1 or b1)");
  std::size_t need = 0;
  if (__builtin_mul_overflow(n, width, &need) || need != bytes.size() - offset)
    throw MakeError(name, ": .npy data is ", bytes.size() - offset, " bytes but shape (", shape_text, ") of ",
                    a.dtype, " needs ", n, " x ", width, " bytes");
  const std::string kind = a.dtype.substr(1);
  const char* p = bytes.data() + offset;
  if (kind == "f4") Convert<float>(p, n, a.values);
  else if (kind == "f8") Convert<double>(p, n, a.values);
  else if (kind == "i4") Convert<std::int32_t>(p, n, a.values);
  else if (kind == "i8") Convert<std::int64_t>(p, n, a.values);
  else Convert<std::uint8_t>(p, n, a.values);  // u1, b1
  return a;
}

NpyArray ReadNpy(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw MakeError(path, ": cannot open");
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  return ParseNpy(bytes, path);
}

MatrixD NpyArray::ToMatrixD() const {
  // 0-D: one value; 1-D: one row; N-D: the first axis by the rest.
  std::size_t rows = 1, cols = 1;
  for (std::size_t i = 0; i < shape.size(); ++i) {
    std::size_t& axis = i == 0 && shape.size() >= 2 ? rows : cols;
    if (__builtin_mul_overflow(axis, shape[i], &axis)) throw MakeError(".npy array: shape overflows");
  }
  const auto limit = static_cast<std::size_t>(std::numeric_limits<Eigen::Index>::max());
  if (rows > limit || cols > limit || (rows != 0 && cols > values.size() / rows) || rows * cols != values.size())
    throw MakeError(".npy array: shape does not match its ", values.size(), " values");
  MatrixD m(static_cast<Eigen::Index>(rows), static_cast<Eigen::Index>(cols));
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
