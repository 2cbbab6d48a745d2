#include "auris/nn/linear.h"

#include <cmath>
#include <sstream>

#include "auris/core/check.h"
#include "auris/nn/int8_weights.h"
#include "isa/kernels.h"

namespace auris::nn {
namespace {

struct LinearCache final : LayerCache {
  SeqBatch input;
};

}  // namespace

void LinearOptions::Validate() const {
  if (in <= 0) throw MakeError("linear: input dimension must be positive, got ", in);
  if (out <= 0) throw MakeError("linear: 'out' must be positive, got ", out);
}

std::string LinearOptions::ToString() const {
  std::ostringstream os;
  os << "linear(in=" << in << ", out=" << out << ", bias=" << (bias ? "true" : "false") << ")";
  return os.str();
}

Linear::Linear(ParamStore& params, const std::string& prefix, const LinearOptions& opts, Rng& rng)
    : opts_(opts) {
  opts_.Validate();
  const float k = 1.0f / std::sqrt(static_cast<float>(opts_.in));
  weight_ = params.Add(prefix + "weight", {opts_.out, opts_.in});
  InitUniform(params[weight_].value, k, rng);
  if (opts_.bias) {
    bias_ = params.Add(prefix + "bias", {opts_.out});
    InitUniform(params[bias_].value, k, rng);
  }
}

SeqBatch Linear::Forward(const SeqBatch& in, const ParamStore& params, RunContext&,
                         std::unique_ptr<LayerCache>* cache) const {
  AURIS_CHECK_EQ(in.Dim(), opts_.in) << "linear input dimension";
  SeqBatch out = SeqBatch::ZerosLike(in, opts_.out);
  out.data.noalias() = in.data * params[weight_].value.transpose();
  if (bias_ >= 0) out.data.rowwise() += params[bias_].value.row(0);
  out.ZeroPadding();  // also where the caller's padding was not zero
  if (cache) {
    auto c = std::make_unique<LinearCache>();
    c->input = in;
    *cache = std::move(c);
  }
  return out;
}

SeqBatch Linear::Backward(const SeqBatch& grad_out, const ParamStore& params,
                          const LayerCache& cache, Grads& grads) const {
  const auto& c = static_cast<const LinearCache&>(cache);
  SeqBatch g = grad_out;
  g.ZeroPadding();  // padding outputs are constants: no gradient flows through them
  grads.g[weight_].noalias() += g.data.transpose() * c.input.data;
  if (bias_ >= 0) grads.g[bias_].row(0) += g.data.colwise().sum();
  SeqBatch grad_in = SeqBatch::ZerosLike(grad_out, opts_.in);
  grad_in.data.noalias() = g.data * params[weight_].value;
  return grad_in;
}

namespace {

// With ParamStore::Int8Step: the weights as int8, shared by the layer's
// streams; else null (the step reads the float parameters).
struct LinearStepState final : StepState {
  std::shared_ptr<const Int8Matrix> int8;
  void Reset() override {}
};

}  // namespace

std::unique_ptr<StepState> Linear::NewStepState(const ParamStore& params) const {
  auto s = std::make_unique<LinearStepState>();
  if (params.Int8Step())
    s->int8 = int8_weights_.Get(params, [&] { return QuantizeRows(params[weight_].value, false); });
  return s;
}

void Linear::Step(const float* in, const ParamStore& params, StepState& state, float* out) const {
  if (const auto& q = static_cast<const LinearStepState&>(state).int8) MatVecInt8(*q, in, out);
  else isa::Active().mat_vec(params[weight_].value.data(), opts_.out, opts_.in, in, out);
  if (bias_ >= 0) Eigen::Map<Vector>(out, opts_.out) += params[bias_].value.row(0).transpose();
}

}  // namespace auris::nn
