// Shared pieces of the auris._auris bindings: one Bind* per area, and the
// checked conversions between NumPy arrays and auris' sample/feature types.
#pragma once

#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>

#include <cstdint>
#include <memory>
#include <vector>

#include "auris/core/eigen.h"
#include "auris/pipeline/recognizer.h"

namespace auris::python {

namespace py = pybind11;

void BindFeatures(py::module_& m);
void BindIo(py::module_& m);
void BindRecognizer(py::module_& m);
void BindStream(py::module_& m);

// A loaded model, shared by the Python Recognizer and its streams
// (pybind11 holders need a non-const pointee).
using RecognizerPtr = std::shared_ptr<pipeline::Recognizer>;

// A 1-D array of samples, checked while holding the GIL (dimensions, dtype,
// contiguity, size); converted later, GIL released, by ToKaldiScale.
struct SampleView {
  py::array array;  // keeps the memory alive
  const void* data = nullptr;
  std::int64_t size = 0;
  enum class Kind { kFloat32, kFloat64, kInt16 } kind = Kind::kFloat32;
};
// Throws auris::Error saying what is wrong with `obj` (named `what`). An
// empty array is an error for a whole utterance, a chunk of nothing for a
// stream (allow_empty).
SampleView ViewSamples(const py::handle& obj, const char* what = "samples", bool allow_empty = false);
// Kaldi's int16 scale, as the CLI reads files: floats x 32768, int16 as is.
// Throws auris::Error on NaN or infinity. Needs no GIL.
std::vector<float> ToKaldiScale(const SampleView& view);
// The same for samples [start, start + n) into out[0, n).
void ToKaldiScale(const SampleView& view, std::int64_t start, std::int64_t n, float* out);

// Hands a matrix to NumPy without copying it (the array owns it).
py::array_t<float> ToArray(Matrix&& m);
// A 2-D float32 C-contiguous array as a matrix (copied); throws auris::Error.
Matrix ToMatrix(const py::handle& obj, const char* what);

}  // namespace auris::python
