// Kaldi matrix objects, byte for byte as Kaldi's MatrixBase::Write/Read:
//  binary: "\0B" then token "FM " (float) or "DM " (double), rows and cols as
//          <size byte 4><int32 little-endian>, then the row-major values;
//  text:   " [\n  v v v \n  v v v ]\n" (" [ ]\n" when empty). auris writes
//          text values in the shortest form that reads back to the same float.
// Reading also decodes Kaldi's compressed matrices (CM, CM2, CM3: what
// Kaldi's feature scripts write by default); auris never writes them.
#pragma once

#include <cstdint>
#include <istream>
#include <string>

#include "auris/core/eigen.h"

namespace auris::io {

// Appends the serialised matrix (including "\0B" when binary) to *out.
void AppendKaldiMatrix(const Matrix& m, bool binary, std::string* out);
void AppendKaldiMatrix(const MatrixD& m, bool binary, std::string* out);

// Parses one matrix object at the current position of `in` (binary or text,
// detected from "\0B"; leading whitespace skipped). FM and DM are both
// accepted. `name` is used in error messages.
MatrixD ReadKaldiMatrixObject(std::istream& in, const std::string& name);

// An rxfilename with an optional byte offset, as in an scp line:
// "feats.ark:1234" (object at byte 1234), "cmvn.mat" (whole file), "-" (stdin).
MatrixD ReadKaldiMatrixD(const std::string& rxfilename);
Matrix ReadKaldiMatrix(const std::string& rxfilename);

// Splits "file:123" into ("file", 123); no trailing ":digits" gives offset -1.
struct RxFilename {
  std::string path;
  std::int64_t offset = -1;
};
RxFilename ParseRxFilename(const std::string& rxfilename);

}  // namespace auris::io
