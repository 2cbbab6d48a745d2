// safetensors files (the model file format): an 8-byte little-endian u64
// header length N, N bytes of JSON header
//   {"<name>": {"dtype": "F32", "shape": [..], "data_offsets": [begin, end]}, ...,
//    "__metadata__": {"<key>": "<string value>", ...}}
// then the byte buffer the offsets index (relative to its start).
//
// Reading validates everything the reference implementation does and turns
// each failure into an auris::Error naming the file and the problem: header
// length beyond the file or above 100 MB, bad JSON, duplicate keys, unknown
// dtype, shape vs byte size, offsets out of range, overlapping or leaving
// holes (the tensors must tile the byte buffer exactly), metadata values
// that are not strings. F32, F64, F16, BF16, I32 and I64 are read and
// converted to float (integers above 2^24 lose precision). Writing produces
// F32 with the header padded by spaces to a multiple of 8 bytes, like the
// reference writer, so the data is 8-byte aligned.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "auris/core/tensor.h"

namespace auris::io {

struct SafetensorsFile {
  std::map<std::string, std::string> metadata;  // "__metadata__"; omitted from the file when empty
  std::vector<NamedTensor> tensors;             // read: in byte-buffer order; written in this order
};

// `name_for_errors` names the source in error messages (usually the path).
SafetensorsFile ParseSafetensors(const std::string& bytes, const std::string& name_for_errors);
SafetensorsFile ReadSafetensors(const std::string& path);

// The file's bytes; throws auris::Error on duplicate or empty names, the
// reserved name "__metadata__", or a data size that does not match the shape.
std::string SafetensorsBytes(const SafetensorsFile& file);
// Writes via a temporary file renamed into place.
void WriteSafetensors(const std::string& path, const SafetensorsFile& file);

}  // namespace auris::io
