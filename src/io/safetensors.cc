#include "auris/io/safetensors.h"

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <limits>
#include <set>

#include <nlohmann/json.hpp>

#include "auris/core/atomic_file.h"
#include "auris/core/error.h"

namespace auris::io {
namespace {

static_assert(std::endian::native == std::endian::little, "safetensors I/O assumes a little-endian host");

using Json = nlohmann::json;

constexpr std::uint64_t kMaxHeaderBytes = 100'000'000;  // the reference implementation's limit
constexpr const char* kMetadataKey = "__metadata__";

template <typename... Args>
Error Bad(const std::string& name, Args&&... args) {
  return MakeError(name, ": invalid safetensors file: ", std::forward<Args>(args)...);
}

float HalfToFloat(std::uint16_t h) {
  const std::uint32_t sign = static_cast<std::uint32_t>(h & 0x8000u) << 16;
  const int exponent = (h >> 10) & 0x1f;
  const std::uint32_t mantissa = h & 0x3ffu;
  float magnitude;
  if (exponent == 0)
    magnitude = std::ldexp(static_cast<float>(mantissa), -24);  // zero / subnormal
  else if (exponent == 31)
    magnitude = mantissa ? std::numeric_limits<float>::quiet_NaN() : std::numeric_limits<float>::infinity();
  else
    magnitude = std::ldexp(static_cast<float>(mantissa | 0x400u), exponent - 25);
  return sign ? -magnitude : magnitude;
}

float Bf16ToFloat(std::uint16_t b) { return std::bit_cast<float>(static_cast<std::uint32_t>(b) << 16); }

template <typename T>
T Load(const char* p) {
  T v;
  std::memcpy(&v, p, sizeof(T));
  return v;
}

enum class Dtype { kF32, kF64, kF16, kBF16, kI32, kI64 };

// The supported dtype named `name`; false if unsupported.
bool ParseDtype(const std::string& name, Dtype* dtype) {
  static const std::pair<const char*, Dtype> kNames[] = {{"F32", Dtype::kF32}, {"F64", Dtype::kF64},
                                                         {"F16", Dtype::kF16}, {"BF16", Dtype::kBF16},
                                                         {"I32", Dtype::kI32}, {"I64", Dtype::kI64}};
  for (const auto& [n, d] : kNames)
    if (name == n) {
      *dtype = d;
      return true;
    }
  return false;
}

std::size_t DtypeSize(Dtype dtype) {
  switch (dtype) {
    case Dtype::kF16:
    case Dtype::kBF16: return 2;
    case Dtype::kF32:
    case Dtype::kI32: return 4;
    case Dtype::kF64:
    case Dtype::kI64: return 8;
  }
  return 0;
}

template <typename T, typename F>
void ConvertAll(const char* p, std::size_t count, float* out, F convert) {
  for (std::size_t i = 0; i < count; ++i) out[i] = convert(Load<T>(p + sizeof(T) * i));
}

void Convert(Dtype dtype, const char* p, std::size_t count, float* out) {
  auto cast = [](auto v) { return static_cast<float>(v); };
  switch (dtype) {
    case Dtype::kF32: ConvertAll<float>(p, count, out, cast); break;
    case Dtype::kF64: ConvertAll<double>(p, count, out, cast); break;
    case Dtype::kF16: ConvertAll<std::uint16_t>(p, count, out, HalfToFloat); break;
    case Dtype::kBF16: ConvertAll<std::uint16_t>(p, count, out, Bf16ToFloat); break;
    case Dtype::kI32: ConvertAll<std::int32_t>(p, count, out, cast); break;
    case Dtype::kI64: ConvertAll<std::int64_t>(p, count, out, cast); break;
  }
}

// nlohmann keeps the last of duplicate keys silently; the format forbids
// duplicates, so the parser callback tracks the keys of every open object.
Json ParseHeader(const std::string& text, const std::string& name) {
  std::vector<std::set<std::string>> open_objects;
  std::string duplicate;
  const Json::parser_callback_t callback = [&](int, Json::parse_event_t event, Json& parsed) {
    if (event == Json::parse_event_t::object_start) {
      open_objects.emplace_back();
    } else if (event == Json::parse_event_t::object_end) {
      open_objects.pop_back();
    } else if (event == Json::parse_event_t::key && !open_objects.empty()) {
      const auto& key = parsed.get_ref<const std::string&>();
      if (!open_objects.back().insert(key).second && duplicate.empty()) duplicate = key;
    }
    return true;
  };
  Json header;
  try {
    header = Json::parse(text, callback);
  } catch (const Json::exception& e) {
    throw Bad(name, "header is not valid JSON (", e.what(), ")");
  }
  if (!duplicate.empty()) throw Bad(name, "duplicate key '", duplicate, "' in the header");
  if (!header.is_object()) throw Bad(name, "header is not a JSON object");
  return header;
}

struct Entry {
  NamedTensor tensor;
  std::string dtype_name;
  Dtype dtype = Dtype::kF32;
  std::uint64_t begin = 0, end = 0;
};

std::uint64_t NonNegativeInteger(const Json& v, const std::string& name, const std::string& what) {
  if (!v.is_number_unsigned()) throw Bad(name, what, " must be a non-negative integer, got ", v.dump());
  return v.get<std::uint64_t>();
}

Entry ParseEntry(const std::string& key, const Json& info, std::uint64_t buffer_size, const std::string& name) {
  const std::string where = "tensor '" + key + "'";
  if (!info.is_object()) throw Bad(name, where, ": entry is not an object");
  for (const char* field : {"dtype", "shape", "data_offsets"})
    if (!info.contains(field)) throw Bad(name, where, ": missing \"", field, "\"");
  Entry e;
  e.tensor.name = key;
  if (!info["dtype"].is_string()) throw Bad(name, where, ": dtype is not a string");
  e.dtype_name = info["dtype"].get<std::string>();
  if (!ParseDtype(e.dtype_name, &e.dtype))
    throw Bad(name, where, ": unsupported dtype '", e.dtype_name, "' (expected F32, F64, F16, BF16, I32 or I64)");
  const std::size_t elem_size = DtypeSize(e.dtype);

  const Json& shape = info["shape"];
  if (!shape.is_array()) throw Bad(name, where, ": shape is not an array");
  std::uint64_t count = 1;
  for (const Json& d : shape) {
    const std::uint64_t dim = NonNegativeInteger(d, name, where + ": shape dimension");
    // Element counts beyond the buffer cannot match it; checking here also prevents overflow.
    if (dim != 0 && count > buffer_size / dim) throw Bad(name, where, ": shape ", shape.dump(), " exceeds the file size");
    count *= dim;
    e.tensor.shape.push_back(static_cast<std::int64_t>(dim));
  }

  const Json& offsets = info["data_offsets"];
  if (!offsets.is_array() || offsets.size() != 2) throw Bad(name, where, ": data_offsets is not [begin, end]");
  e.begin = NonNegativeInteger(offsets[0], name, where + ": data_offsets begin");
  e.end = NonNegativeInteger(offsets[1], name, where + ": data_offsets end");
  if (e.begin > e.end || e.end > buffer_size)
    throw Bad(name, where, ": data_offsets [", e.begin, ", ", e.end, "] outside the byte buffer of ", buffer_size,
              " bytes");
  if (e.end - e.begin != count * elem_size)
    throw Bad(name, where, ": shape ", shape.dump(), " of ", e.dtype_name, " needs ", count * elem_size,
              " bytes, data_offsets give ", e.end - e.begin);
  return e;
}

std::map<std::string, std::string> ParseMetadata(const Json& meta, const std::string& name) {
  if (!meta.is_object()) throw Bad(name, "__metadata__ is not an object");
  std::map<std::string, std::string> out;
  for (const auto& [key, value] : meta.items()) {
    if (!value.is_string()) throw Bad(name, "__metadata__ value of '", key, "' is not a string");
    out[key] = value.get<std::string>();
  }
  return out;
}

}  // namespace

SafetensorsFile ParseSafetensors(const std::string& bytes, const std::string& name) {
  if (bytes.size() < 8) throw Bad(name, "file has ", bytes.size(), " bytes, shorter than the 8-byte header length");
  const std::uint64_t header_size = Load<std::uint64_t>(bytes.data());
  if (header_size > kMaxHeaderBytes) throw Bad(name, "header length ", header_size, " exceeds the 100 MB limit");
  if (header_size > bytes.size() - 8)
    throw Bad(name, "header length ", header_size, " runs beyond the end of the file (", bytes.size(), " bytes)");
  const Json header = ParseHeader(bytes.substr(8, header_size), name);
  const std::uint64_t data_start = 8 + header_size;
  const std::uint64_t buffer_size = bytes.size() - data_start;

  SafetensorsFile file;
  std::vector<Entry> entries;
  for (const auto& [key, info] : header.items()) {
    if (key == kMetadataKey)
      file.metadata = ParseMetadata(info, name);
    else
      entries.push_back(ParseEntry(key, info, buffer_size, name));
  }

  // The tensors must tile the byte buffer: sorted by offset, each starts
  // where the previous one ended, the last ends at the end of the file.
  std::sort(entries.begin(), entries.end(),
            [](const Entry& a, const Entry& b) { return std::tie(a.begin, a.end) < std::tie(b.begin, b.end); });
  std::uint64_t expected = 0;
  for (const Entry& e : entries) {
    if (e.begin != expected)
      throw Bad(name, "tensor '", e.tensor.name, "' starts at byte ", e.begin, " of the buffer, expected ", expected,
                e.begin < expected ? " (overlaps the previous tensor)" : " (hole in the buffer)");
    expected = e.end;
  }
  if (expected != buffer_size)
    throw Bad(name, "tensors cover ", expected, " bytes but the byte buffer has ", buffer_size);

  for (Entry& e : entries) {
    const std::size_t count = (e.end - e.begin) / DtypeSize(e.dtype);
    e.tensor.data.resize(count);
    Convert(e.dtype, bytes.data() + data_start + e.begin, count, e.tensor.data.data());
    file.tensors.push_back(std::move(e.tensor));
  }
  return file;
}

SafetensorsFile ReadSafetensors(const std::string& path) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec))
    throw MakeError("cannot open safetensors file ", path, ": ", ec ? ec.message() : "not a regular file");
  const std::uintmax_t size = std::filesystem::file_size(path, ec);
  std::ifstream in(path, std::ios::binary);
  if (ec || !in) throw MakeError("cannot open safetensors file ", path);
  std::string bytes(static_cast<std::size_t>(size), '\0');
  if (!in.read(bytes.data(), static_cast<std::streamsize>(size)))
    throw MakeError("error reading safetensors file ", path);
  return ParseSafetensors(bytes, path);
}

std::string SafetensorsBytes(const SafetensorsFile& file) {
  Json header = Json::object();
  std::set<std::string> names;
  std::uint64_t offset = 0;
  for (const auto& t : file.tensors) {
    if (t.name.empty() || t.name == kMetadataKey) throw MakeError("safetensors: invalid tensor name '", t.name, "'");
    if (!names.insert(t.name).second) throw MakeError("safetensors: duplicate tensor name '", t.name, "'");
    std::int64_t count = 1;
    for (auto d : t.shape) {
      if (d < 0) throw MakeError("safetensors: tensor '", t.name, "' has a negative dimension");
      count *= d;
    }
    if (count != static_cast<std::int64_t>(t.data.size()))
      throw MakeError("safetensors: tensor '", t.name, "' has ", t.data.size(), " values, its shape needs ", count);
    const std::uint64_t size = t.data.size() * sizeof(float);
    header[t.name] = {{"dtype", "F32"}, {"shape", t.shape}, {"data_offsets", {offset, offset + size}}};
    offset += size;
  }
  if (!file.metadata.empty()) header[kMetadataKey] = file.metadata;
  std::string text;
  try {
    text = header.dump();
  } catch (const Json::exception& e) {
    throw MakeError("safetensors: a tensor name or metadata string is not UTF-8 (", e.what(), ")");
  }
  text.append((8 - text.size() % 8) % 8, ' ');

  std::string bytes(8, '\0');
  const std::uint64_t n = text.size();
  std::memcpy(bytes.data(), &n, 8);
  bytes.reserve(8 + text.size() + offset);
  bytes += text;
  for (const auto& t : file.tensors)
    bytes.append(reinterpret_cast<const char*>(t.data.data()), t.data.size() * sizeof(float));
  return bytes;
}

void WriteSafetensors(const std::string& path, const SafetensorsFile& file) {
  WriteFileAtomically(path, SafetensorsBytes(file));
}

}  // namespace auris::io
