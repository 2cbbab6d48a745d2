// Finite-difference gradient checks for nn layers and losses (test-only).
//
// For a Layer: the scalar L = sum over all output entries of u ⊙ Forward(x),
// with u a fixed random upstream gradient (padding rows included, so a layer
// that leaks gradient through padding fails), accumulated in double. The
// analytic dL/dx and dL/dparams come from Backward(u); the numeric ones from
// central differences (L(v+eps) - L(v-eps)) / 2eps on a random subset of
// entries of every tensor. A tensor passes when
//   ||analytic - numeric||_2 / max(||numeric||_2, ||analytic||_2, floor) <= rel_tol
// over the checked entries (a norm-based relative error: float32 layers make
// single entries noisy, the norm is robust).
//
// Usage:
//   auto report = auris::test::CheckLayerGradients(layer, params, input);
//   CHECK_MESSAGE(report.Ok(), report.ToString());
// For a loss or any scalar function of a buffer, use NumericGradient() and
// CompareGradients() directly.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <functional>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "auris/core/rng.h"
#include "auris/nn/layer.h"

namespace auris::test {

struct GradCheckOptions {
  double eps = 1e-2;           // central-difference step (float32 layers: 1e-3..1e-2)
  double rel_tol = 5e-3;       // norm-based relative error per tensor (correct float32 layers: ~5e-4)
  double abs_floor = 1e-6;     // denominator floor: gradients this small count as zero
  int max_entries = 48;        // entries checked per tensor (random subset; all if fewer)
  bool training = false;       // Forward in training mode ...
  std::uint64_t dropout_seed = 7;  // ... each call with a fresh Rng(dropout_seed): fixed masks
  std::uint64_t seed = 1;      // upstream gradient and entry sampling
};

struct TensorCheck {
  std::string name;  // "input" or the parameter name
  double rel_error = 0;
  double numeric_norm = 0;
  int entries = 0;
};

struct GradCheckReport {
  double rel_tol = 0;
  std::vector<TensorCheck> checks;
  bool Ok() const {
    for (const auto& c : checks)
      if (!(c.rel_error <= rel_tol)) return false;  // NaN fails too
    return !checks.empty();
  }
  std::string ToString() const {
    std::ostringstream os;
    os << "gradient check (rel_tol " << rel_tol << "):";
    for (const auto& c : checks)
      os << "\n  " << c.name << ": rel " << c.rel_error << " over " << c.entries
         << " entries (|numeric| " << c.numeric_norm << ")"
         << (c.rel_error <= rel_tol ? "" : "  <-- FAIL");
    return os.str();
  }
};

// Indices of up to `max_entries` distinct entries of [0, n), sorted.
inline std::vector<std::int64_t> SampleEntries(std::int64_t n, int max_entries, Rng& rng) {
  std::vector<std::int64_t> idx(n);
  for (std::int64_t i = 0; i < n; ++i) idx[i] = i;
  if (n > max_entries) {
    for (int i = 0; i < max_entries; ++i) {  // partial Fisher–Yates
      const auto j = i + static_cast<std::int64_t>(rng.Index(static_cast<std::uint32_t>(n - i)));
      std::swap(idx[i], idx[j]);
    }
    idx.resize(max_entries);
    std::sort(idx.begin(), idx.end());
  }
  return idx;
}

// Central-difference gradient of f with respect to data[idx[k]] for each k.
// f must be a deterministic function of the buffer; data is restored.
inline std::vector<double> NumericGradient(const std::function<double()>& f, float* data,
                                           const std::vector<std::int64_t>& idx, double eps) {
  std::vector<double> g(idx.size());
  for (std::size_t k = 0; k < idx.size(); ++k) {
    float& v = data[idx[k]];
    const float orig = v;
    const float plus = static_cast<float>(orig + eps), minus = static_cast<float>(orig - eps);
    v = plus;
    const double fp = f();
    v = minus;
    const double fm = f();
    v = orig;
    g[k] = (fp - fm) / (static_cast<double>(plus) - static_cast<double>(minus));
  }
  return g;
}

// Norm-based relative error of analytic[idx[k]] against numeric[k].
inline TensorCheck CompareGradients(const std::string& name, const float* analytic,
                                    const std::vector<std::int64_t>& idx,
                                    const std::vector<double>& numeric, double abs_floor) {
  double diff2 = 0, num2 = 0, ana2 = 0;
  for (std::size_t k = 0; k < idx.size(); ++k) {
    const double a = analytic[idx[k]], n = numeric[k];
    diff2 += (a - n) * (a - n);
    num2 += n * n;
    ana2 += a * a;
  }
  TensorCheck c;
  c.name = name;
  c.entries = static_cast<int>(idx.size());
  c.numeric_norm = std::sqrt(num2);
  c.rel_error = std::sqrt(diff2) / std::max({std::sqrt(num2), std::sqrt(ana2), abs_floor});
  return c;
}

// A padded batch of random N(0, scale^2) frames; padding rows are zero.
inline nn::SeqBatch RandomSeqBatch(const std::vector<int>& lengths, int dim, Rng& rng,
                                   double scale = 1.0) {
  std::vector<Matrix> seqs;
  for (int len : lengths) {
    Matrix m(len, dim);
    for (Eigen::Index i = 0; i < m.size(); ++i) m.data()[i] = static_cast<float>(scale * rng.Gaussian());
    seqs.push_back(std::move(m));
  }
  return nn::SeqBatch::FromSequences(seqs);
}

// Fills every entry (padding included) with N(0, 1).
inline void FillGaussian(Matrix& m, Rng& rng) {
  for (Eigen::Index i = 0; i < m.size(); ++i) m.data()[i] = static_cast<float>(rng.Gaussian());
}

// Checks dL/dinput and dL/dparam for every parameter the layer's Backward
// touches in `params` (all of them unless `param_names` is non-empty).
inline GradCheckReport CheckLayerGradients(const nn::Layer& layer, nn::ParamStore& params,
                                           const nn::SeqBatch& input,
                                           const GradCheckOptions& opts = {},
                                           const std::vector<std::string>& param_names = {}) {
  Rng rng(opts.seed);
  nn::SeqBatch x = input;

  auto run = [&](std::unique_ptr<nn::LayerCache>* cache) {
    Rng drop_rng(opts.dropout_seed);
    nn::RunContext ctx;
    ctx.training = opts.training;
    ctx.rng = &drop_rng;
    return layer.Forward(x, params, ctx, cache);
  };

  std::unique_ptr<nn::LayerCache> cache;
  const nn::SeqBatch y = run(&cache);
  Matrix upstream(y.data.rows(), y.data.cols());
  FillGaussian(upstream, rng);

  auto loss = [&]() {
    const nn::SeqBatch out = run(nullptr);
    double s = 0;
    for (Eigen::Index i = 0; i < out.data.size(); ++i)
      s += static_cast<double>(upstream.data()[i]) * out.data.data()[i];
    return s;
  };

  nn::SeqBatch grad_out = y;
  grad_out.data = upstream;
  nn::Grads grads(params);
  const nn::SeqBatch grad_in = layer.Backward(grad_out, params, *cache, grads);

  GradCheckReport report;
  report.rel_tol = opts.rel_tol;
  {
    const auto idx = SampleEntries(x.data.size(), opts.max_entries, rng);
    const auto num = NumericGradient(loss, x.data.data(), idx, opts.eps);
    report.checks.push_back(CompareGradients("input", grad_in.data.data(), idx, num, opts.abs_floor));
  }
  for (int p = 0; p < params.Size(); ++p) {
    const std::string& name = params[p].name;
    if (!param_names.empty() &&
        std::find(param_names.begin(), param_names.end(), name) == param_names.end())
      continue;
    Matrix& value = params[p].value;
    const auto idx = SampleEntries(value.size(), opts.max_entries, rng);
    const auto num = NumericGradient(loss, value.data(), idx, opts.eps);
    report.checks.push_back(CompareGradients(name, grads.g[p].data(), idx, num, opts.abs_floor));
  }
  return report;
}

}  // namespace auris::test
