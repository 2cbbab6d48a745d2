#include "auris/io/htk.h"

#include <cmath>
#include <cstring>
#include <fstream>
#include <iterator>
#include <sstream>

#include "auris/core/error.h"

namespace auris::io {
namespace {

void PutBe32(std::uint32_t v, std::string* out) {
  for (int shift = 24; shift >= 0; shift -= 8) out->push_back(static_cast<char>((v >> shift) & 0xff));
}
void PutBe16(std::uint16_t v, std::string* out) {
  out->push_back(static_cast<char>(v >> 8));
  out->push_back(static_cast<char>(v & 0xff));
}
std::uint32_t GetBe32(const char* p) {
  const auto* u = reinterpret_cast<const unsigned char*>(p);
  return (std::uint32_t{u[0]} << 24) | (std::uint32_t{u[1]} << 16) | (std::uint32_t{u[2]} << 8) | u[3];
}
std::uint16_t GetBe16(const char* p) {
  const auto* u = reinterpret_cast<const unsigned char*>(p);
  return static_cast<std::uint16_t>((u[0] << 8) | u[1]);
}

}  // namespace

int HtkParmKind(int base_kind, bool energy, bool c0, int delta_order) {
  if (base_kind < 0 || base_kind > 077) throw MakeError("invalid HTK base kind ", base_kind);
  if (delta_order < 0 || delta_order > 3) throw MakeError("HTK supports delta order 0..3, got ", delta_order);
  int kind = base_kind;
  if (energy) kind |= kHtkQualE;
  if (c0) kind |= kHtkQual0;
  if (delta_order >= 1) kind |= kHtkQualD;
  if (delta_order >= 2) kind |= kHtkQualA;
  if (delta_order >= 3) kind |= kHtkQualT;
  return kind;
}

void HtkOptions::Validate() const {
  if (!(frame_shift_ms > 0) || frame_shift_ms * 1e4 > INT32_MAX)
    throw MakeError("HTK frame shift must be > 0 ms (got ", frame_shift_ms, ")");
  if (parm_kind < 0 || parm_kind > 0xffff) throw MakeError("invalid HTK parmKind ", parm_kind);
}

std::string HtkOptions::ToString() const {
  std::ostringstream os;
  os << "frame_shift_ms=" << frame_shift_ms << " parm_kind=0" << std::oct << parm_kind;
  return os.str();
}

std::string HtkBytes(const Matrix& features, const HtkOptions& options) {
  options.Validate();
  if (features.cols() == 0 || features.cols() * 4 > 32767)
    throw MakeError("HTK files need 1..8191 coefficients per frame, got ", features.cols());
  if (features.rows() > INT32_MAX) throw MakeError("too many frames for an HTK file: ", features.rows());
  std::string out;
  out.reserve(12 + static_cast<std::size_t>(features.size()) * 4);
  PutBe32(static_cast<std::uint32_t>(features.rows()), &out);
  PutBe32(static_cast<std::uint32_t>(std::llround(options.frame_shift_ms * 1e4)), &out);
  PutBe16(static_cast<std::uint16_t>(features.cols() * 4), &out);
  PutBe16(static_cast<std::uint16_t>(options.parm_kind), &out);
  for (Eigen::Index i = 0; i < features.size(); ++i) {
    std::uint32_t bits;
    std::memcpy(&bits, features.data() + i, 4);
    PutBe32(bits, &out);
  }
  return out;
}

HtkFile ParseHtk(const std::string& bytes, const std::string& name) {
  if (bytes.size() < 12) throw MakeError(name, ": not an HTK file (", bytes.size(), " bytes, header needs 12)");
  HtkFile f;
  f.header.num_frames = static_cast<std::int32_t>(GetBe32(bytes.data()));
  f.header.sample_period_100ns = static_cast<std::int32_t>(GetBe32(bytes.data() + 4));
  f.header.sample_size_bytes = static_cast<std::int16_t>(GetBe16(bytes.data() + 8));
  f.header.parm_kind = static_cast<std::int16_t>(GetBe16(bytes.data() + 10));
  const auto& h = f.header;
  if (h.num_frames < 0 || h.sample_size_bytes <= 0 || h.sample_size_bytes % 4 != 0)
    throw MakeError(name, ": corrupt HTK header (", h.num_frames, " frames of ", h.sample_size_bytes, " bytes)");
  const std::size_t dim = static_cast<std::size_t>(h.sample_size_bytes) / 4;
  const std::size_t n = static_cast<std::size_t>(h.num_frames) * dim;
  if (bytes.size() - 12 != n * 4)
    throw MakeError(name, ": HTK header declares ", h.num_frames, " x ", dim, " floats (", n * 4,
                    " bytes) but the file has ", bytes.size() - 12);
  f.features.resize(h.num_frames, static_cast<Eigen::Index>(dim));
  for (std::size_t i = 0; i < n; ++i) {
    const std::uint32_t bits = GetBe32(bytes.data() + 12 + 4 * i);
    std::memcpy(f.features.data() + i, &bits, 4);
  }
  return f;
}

HtkFile ReadHtk(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw MakeError(path, ": cannot open");
  const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  return ParseHtk(bytes, path);
}

}  // namespace auris::io
