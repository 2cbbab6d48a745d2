// NumPy .npy files (format version 1.0/2.0): read any little-endian float or
// integer array, write float32 C-order matrices.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "auris/core/eigen.h"

namespace auris::io {

struct NpyArray {
  std::vector<std::size_t> shape;
  std::vector<double> values;  // C order, converted from the stored dtype
  std::string dtype;           // as stored, e.g. "<f4"

  std::size_t Size() const { return values.size(); }
  // The array as a 2-D float matrix: 1-D arrays become one row, 0-D one value.
  Matrix ToMatrix() const;
  MatrixD ToMatrixD() const;
};

NpyArray ReadNpy(const std::string& path);
NpyArray ParseNpy(const std::string& bytes, const std::string& name_for_errors);

// Serialises a float32 matrix (shape rows x cols) to .npy bytes.
std::string NpyBytes(const Matrix& m);
// Writes via a temporary file renamed into place.
void WriteNpy(const std::string& path, const Matrix& m);

}  // namespace auris::io
