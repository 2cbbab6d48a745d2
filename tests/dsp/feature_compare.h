// The one rule for comparing auris features with torchaudio references
// (issue #2), per feature matrix (one option set on one signal):
//   allowed = max(kFeatureAbs, factor * e32), factor = kFeatureFloat32ErrorFactor
//   unless the caller asks for a tighter one,
//   e32 = torchaudio's own float32 error: max over the matrix of
//         |torchaudio_f32 - torchaudio_f64|, taken over four input scalings
//         (make_features.py, <case>_f32err.npy),
// and every |auris - torchaudio_f64| must be <= allowed.
// Why per matrix and over several draws: float32 FFT rounding noise is what
// shows in near-empty bands (band-limited audio) in the log domain; any one
// element, or one run, is a single random draw of that noise, so element-wise
// or single-run bounds compare two independent draws and fail by luck. The
// maximum over a matrix and four draws measures the noise level itself.
// Linear-domain outputs (use_log_fbank=false) compare errors relative to
// max(1, |reference|) with the same rule.
#pragma once

#include <algorithm>
#include <cmath>
#include <sstream>
#include <string>

#include "auris/core/eigen.h"
#include "tolerances.h"

namespace auris::test {

struct FeatureComparison {
  bool ok = true;
  double max_error = 0;         // max |ours - f64| (relative if linear)
  double max_ratio = 0;         // max error / allowed over all elements
  bool used_float32_allowance = false;
  std::string worst;            // where max_ratio occurs
};

// f32_error: torchaudio's |f32 - f64| (element-wise, already maximised over draws).
inline FeatureComparison CompareFeatures(const Matrix& ours, const MatrixD& ref64,
                                         const MatrixD& f32_error, bool linear,
                                         double factor = tol::kFeatureFloat32ErrorFactor) {
  FeatureComparison c;
  if (ours.rows() != ref64.rows() || ours.cols() != ref64.cols() ||
      f32_error.rows() != ref64.rows() || f32_error.cols() != ref64.cols()) {
    std::ostringstream os;
    os << "shape " << ours.rows() << "x" << ours.cols() << " vs reference " << ref64.rows()
       << "x" << ref64.cols() << " (f32 error " << f32_error.rows() << "x" << f32_error.cols()
       << ")";
    c.ok = false;
    c.worst = os.str();
    return c;
  }
  auto error = [&](double a, double ref) {
    const double e = std::abs(a - ref);
    return linear ? e / std::max(1.0, std::abs(ref)) : e;
  };
  double e32 = 0;
  for (Eigen::Index t = 0; t < ref64.rows(); ++t)
    for (Eigen::Index d = 0; d < ref64.cols(); ++d)
      e32 = std::max(e32, linear ? f32_error(t, d) / std::max(1.0, std::abs(ref64(t, d)))
                                 : f32_error(t, d));
  const double allowed = std::max(tol::kFeatureAbs, factor * e32);
  for (Eigen::Index t = 0; t < ref64.rows(); ++t) {
    for (Eigen::Index d = 0; d < ref64.cols(); ++d) {
      const double e = error(ours(t, d), ref64(t, d));
      if (!(e <= allowed)) c.ok = false;  // NaN fails too
      c.max_error = std::max(c.max_error, e);
      if (e > tol::kFeatureAbs) c.used_float32_allowance = true;
      if (e / allowed > c.max_ratio || std::isnan(e)) {
        c.max_ratio = e / allowed;
        std::ostringstream os;
        os << "frame " << t << " dim " << d << ": auris " << ours(t, d) << " f64 " << ref64(t, d)
           << " torchaudio f32 error " << f32_error(t, d) << " error " << e << " allowed " << allowed;
        c.worst = os.str();
      }
    }
  }
  return c;
}

}  // namespace auris::test
