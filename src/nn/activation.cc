#include "auris/nn/activation.h"

#include <cmath>

#include "auris/core/check.h"

namespace auris::nn {
namespace {

struct ActivationCache final : LayerCache {
  Matrix input;  // tanh's derivative uses the output, computed again from it
};

constexpr float kInvSqrt2 = 0.70710678118654752f;
constexpr float kInvSqrt2Pi = 0.39894228040143268f;

// Applies the activation to n floats (in may equal out).
void Apply(ActivationKind kind, const float* in, float* out, Eigen::Index n) {
  Eigen::Map<const Eigen::ArrayXf> x(in, n);
  Eigen::Map<Eigen::ArrayXf> y(out, n);
  switch (kind) {
    case ActivationKind::kRelu: y = x.max(0.0f); break;
    case ActivationKind::kTanh: y = x.tanh(); break;
    case ActivationKind::kGelu:
      for (Eigen::Index i = 0; i < n; ++i) out[i] = 0.5f * in[i] * (1.0f + std::erf(in[i] * kInvSqrt2));
      break;
  }
}

}  // namespace

ActivationKind ParseActivation(const std::string& name) {
  if (name == "relu") return ActivationKind::kRelu;
  if (name == "gelu") return ActivationKind::kGelu;
  if (name == "tanh") return ActivationKind::kTanh;
  throw MakeError("unknown activation '", name, "' (expected relu, gelu or tanh)");
}

std::string ActivationName(ActivationKind kind) {
  switch (kind) {
    case ActivationKind::kRelu: return "relu";
    case ActivationKind::kGelu: return "gelu";
    case ActivationKind::kTanh: return "tanh";
  }
  return "?";
}

Activation::Activation(ActivationKind kind, int dim) : kind_(kind), dim_(dim) {
  if (dim <= 0) throw MakeError(ActivationName(kind), ": dimension must be positive, got ", dim);
}

SeqBatch Activation::Forward(const SeqBatch& in, const ParamStore&, RunContext&,
                             std::unique_ptr<LayerCache>* cache) const {
  AURIS_CHECK_EQ(in.Dim(), dim_) << Kind() << " input dimension";
  SeqBatch out = in;
  Apply(kind_, in.data.data(), out.data.data(), in.data.size());
  out.ZeroPadding();
  if (cache) {
    auto c = std::make_unique<ActivationCache>();
    c->input = in.data;
    *cache = std::move(c);
  }
  return out;
}

SeqBatch Activation::Backward(const SeqBatch& grad_out, const ParamStore&, const LayerCache& cache,
                              Grads&) const {
  const Matrix& input = static_cast<const ActivationCache&>(cache).input;
  Eigen::Map<const Eigen::ArrayXf> x(input.data(), input.size());
  SeqBatch grad_in = grad_out;
  Eigen::Map<Eigen::ArrayXf> g(grad_in.data.data(), grad_in.data.size());
  switch (kind_) {
    case ActivationKind::kRelu: g *= (x > 0.0f).cast<float>(); break;
    case ActivationKind::kTanh: g *= 1.0f - x.tanh().square(); break;
    case ActivationKind::kGelu:
      // d/dx [x Φ(x)] = Φ(x) + x φ(x)
      for (Eigen::Index i = 0; i < g.size(); ++i) {
        const float v = x(i);
        g(i) *= 0.5f * (1.0f + std::erf(v * kInvSqrt2)) + v * kInvSqrt2Pi * std::exp(-0.5f * v * v);
      }
      break;
  }
  grad_in.ZeroPadding();
  return grad_in;
}

std::unique_ptr<StepState> Activation::NewStepState(const ParamStore&) const { return std::make_unique<NoStepState>(); }

void Activation::Step(const float* in, const ParamStore&, StepState&, float* out) const {
  Apply(kind_, in, out, dim_);
}

}  // namespace auris::nn
