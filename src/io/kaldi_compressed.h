// Decoding Kaldi's compressed matrices (matrix/compressed-matrix.cc), which
// Kaldi's feature scripts write by default (copy-feats --compress=true):
//   "CM " one byte per value with per-column percentile headers,
//   "CM2" two bytes per value, "CM3" one byte per value.
// Internal to io; reached through ReadKaldiMatrixObject.
#pragma once

#include <istream>
#include <string>

#include "auris/core/eigen.h"

namespace auris::io::internal {

// Reads the compressed payload that follows `token` (the stream is just past
// the token's space) and returns the decoded values.
MatrixD ReadCompressedMatrix(std::istream& in, const std::string& token, const std::string& name);

}  // namespace auris::io::internal
