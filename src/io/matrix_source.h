// Sequential sources of (key, matrix) pairs behind the readers (internal).
#pragma once

#include <memory>
#include <string>

#include "auris/core/eigen.h"

namespace auris::io {

class MatrixSource {
 public:
  virtual ~MatrixSource() = default;
  // Next (key, where-from, matrix); false at the end. `location` is an
  // rxfilename-like description used by random access ("" to keep the value).
  virtual bool Next(std::string* key, std::string* location, MatrixD* value, bool want_value) = 0;
};

// rspecifier -> source; also handles "npy:DIR".
std::unique_ptr<MatrixSource> OpenMatrixSource(const std::string& rspecifier);

}  // namespace auris::io
