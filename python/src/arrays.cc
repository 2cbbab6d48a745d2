#include <bit>
#include <cmath>
#include <cstdint>
#include <string>

#include "auris/audio/audio.h"
#include "auris/core/error.h"
#include "bindings.h"

namespace auris::python {
namespace {

std::string Shape(const py::array& a) {
  std::string s = "(";
  for (py::ssize_t i = 0; i < a.ndim(); ++i) s += (i ? ", " : "") + std::to_string(a.shape(i));
  return s + (a.ndim() == 1 ? ",)" : ")");
}

}  // namespace

SampleView ViewSamples(const py::handle& obj, const char* what, bool allow_empty) {
  if (!py::isinstance<py::array>(obj))
    throw MakeError(what, ": expected a 1-D NumPy array (float32/float64 in [-1, 1] or int16), got ",
                    std::string(py::str(obj.get_type().attr("__name__"))));
  SampleView v;
  v.array = py::reinterpret_borrow<py::array>(obj);
  const py::array& a = v.array;
  if (a.ndim() != 1)
    throw MakeError(what, ": expected a 1-D array of mono samples, got shape ", Shape(a),
                    " (pick a channel, e.g. x[:, 0], or average them)");
  if (a.size() == 0 && !allow_empty) throw MakeError(what, ": empty array");
  if (!(a.flags() & py::array::c_style))
    throw MakeError(what, ": array is not contiguous (use numpy.ascontiguousarray)");
  if (py::isinstance<py::array_t<float>>(a)) v.kind = SampleView::Kind::kFloat32;
  else if (py::isinstance<py::array_t<double>>(a)) v.kind = SampleView::Kind::kFloat64;
  else if (py::isinstance<py::array_t<std::int16_t>>(a)) v.kind = SampleView::Kind::kInt16;
  else
    throw MakeError(what, ": dtype ", std::string(py::str(a.dtype())),
                    " not supported (float32/float64 in [-1, 1] or int16)");
  v.data = a.data();
  v.size = a.size();
  return v;
}

namespace {

// out = x * 32768 (as the CLI scales libsndfile's floats). The finiteness
// check ORs the exponent bits' test over all samples, which vectorises,
// unlike a branch per sample (that was 20 % of compute_features).
template <typename T>
void ScaleFloats(const T* x, std::int64_t start, std::int64_t n, float* out) {
  std::uint32_t nonfinite = 0;
  for (std::int64_t i = 0; i < n; ++i) {
    const float f = static_cast<float>(x[start + i]);
    nonfinite |= static_cast<std::uint32_t>((std::bit_cast<std::uint32_t>(f) & 0x7f800000u) == 0x7f800000u);
    out[i] = f * audio::kKaldiSampleScale;
  }
  if (!nonfinite) return;
  for (std::int64_t i = start; i < start + n; ++i)
    if (!std::isfinite(static_cast<float>(x[i]))) throw MakeError("samples: non-finite value ", x[i], " at index ", i);
}

}  // namespace

void ToKaldiScale(const SampleView& v, std::int64_t start, std::int64_t n, float* out) {
  switch (v.kind) {
    case SampleView::Kind::kFloat32: ScaleFloats(static_cast<const float*>(v.data), start, n, out); break;
    case SampleView::Kind::kFloat64: ScaleFloats(static_cast<const double*>(v.data), start, n, out); break;
    case SampleView::Kind::kInt16: {
      const auto* x = static_cast<const std::int16_t*>(v.data) + start;
      for (std::int64_t i = 0; i < n; ++i) out[i] = x[i];
      break;
    }
  }
}

std::vector<float> ToKaldiScale(const SampleView& v) {
  std::vector<float> out(static_cast<std::size_t>(v.size));
  ToKaldiScale(v, 0, v.size, out.data());
  return out;
}

py::array_t<float> ToArray(Matrix&& m) {
  auto* owned = new Matrix(std::move(m));
  py::capsule owner(owned, [](void* p) { delete static_cast<Matrix*>(p); });
  const auto row_bytes = static_cast<py::ssize_t>(owned->cols() * sizeof(float));
  return py::array_t<float>({static_cast<py::ssize_t>(owned->rows()), static_cast<py::ssize_t>(owned->cols())},
                            {row_bytes, static_cast<py::ssize_t>(sizeof(float))}, owned->data(), owner);
}

Matrix ToMatrix(const py::handle& obj, const char* what) {
  if (!py::isinstance<py::array>(obj)) throw MakeError(what, ": expected a 2-D NumPy array");
  auto a = py::array_t<float, py::array::c_style | py::array::forcecast>::ensure(obj);
  if (!a) throw MakeError(what, ": cannot convert to float32");
  if (a.ndim() != 2) throw MakeError(what, ": expected a 2-D array (frames x dim), got shape ", Shape(a));
  Matrix m(a.shape(0), a.shape(1));
  std::copy(a.data(), a.data() + a.size(), m.data());
  return m;
}

}  // namespace auris::python
