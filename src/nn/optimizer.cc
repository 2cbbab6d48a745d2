#include "auris/nn/optimizer.h"

#include <cmath>
#include <map>
#include <sstream>

#include "auris/core/check.h"

namespace auris::nn {
namespace {

constexpr const char* kExpAvg = "optim.exp_avg.";
constexpr const char* kExpAvgSq = "optim.exp_avg_sq.";
constexpr const char* kStep = "optim.step";
constexpr std::int64_t kMaxExactFloatInt = std::int64_t{1} << 24;

NamedTensor ToTensor(const std::string& name, const std::vector<std::int64_t>& shape, const Matrix& m) {
  NamedTensor t;
  t.name = name;
  t.shape = shape;
  t.data.assign(m.data(), m.data() + m.size());
  return t;
}

}  // namespace

AdamOptions AdamOptions::AdamW(float lr, float weight_decay) {
  AdamOptions o;
  o.lr = lr;
  o.weight_decay = weight_decay;
  o.decoupled_weight_decay = true;
  return o;
}

void AdamOptions::Validate() const {
  AURIS_CHECK(lr >= 0.0f) << "Adam lr must be >= 0, got " << lr;
  AURIS_CHECK(beta1 >= 0.0f && beta1 < 1.0f) << "Adam beta1 must be in [0, 1), got " << beta1;
  AURIS_CHECK(beta2 >= 0.0f && beta2 < 1.0f) << "Adam beta2 must be in [0, 1), got " << beta2;
  AURIS_CHECK(eps >= 0.0f) << "Adam eps must be >= 0, got " << eps;
  AURIS_CHECK(weight_decay >= 0.0f) << "Adam weight_decay must be >= 0, got " << weight_decay;
}

std::string AdamOptions::ToString() const {
  std::ostringstream os;
  os << (decoupled_weight_decay ? "AdamW" : "Adam") << "{lr=" << lr << ", betas=(" << beta1 << ", "
     << beta2 << "), eps=" << eps << ", weight_decay=" << weight_decay << "}";
  return os.str();
}

Adam::Adam(const ParamStore& params, const AdamOptions& options) : options_(options) {
  options_.Validate();
  for (int i = 0; i < params.Size(); ++i) {
    exp_avg_.push_back(Matrix::Zero(params[i].value.rows(), params[i].value.cols()));
    exp_avg_sq_.push_back(Matrix::Zero(params[i].value.rows(), params[i].value.cols()));
  }
}

void Adam::Step(ParamStore& params, const Grads& grads, float lr) {
  AURIS_CHECK_EQ(params.Size(), static_cast<int>(exp_avg_.size())) << "Adam: parameter count changed";
  AURIS_CHECK_EQ(grads.g.size(), exp_avg_.size()) << "Adam: one gradient per parameter";
  ++step_;
  const float b1 = options_.beta1, b2 = options_.beta2, wd = options_.weight_decay;
  // Scalars in double like torch's Python-side arithmetic, then float.
  const double bias_correction1 = 1.0 - std::pow(static_cast<double>(b1), static_cast<double>(step_));
  const double bias_correction2 = 1.0 - std::pow(static_cast<double>(b2), static_cast<double>(step_));
  const float step_size = static_cast<float>(lr / bias_correction1);
  const float bc2_sqrt = static_cast<float>(std::sqrt(bias_correction2));
  const float decay = static_cast<float>(1.0 - static_cast<double>(lr) * wd);
  const float one_minus_b1 = static_cast<float>(1.0 - b1), one_minus_b2 = static_cast<float>(1.0 - b2);
  for (int i = 0; i < params.Size(); ++i) {
    Matrix& pm = params[i].value;
    const Matrix& gm = grads.g[i];
    AURIS_CHECK(gm.rows() == pm.rows() && gm.cols() == pm.cols()) << "Adam: gradient shape of " << params[i].name;
    float* p = pm.data();
    const float* g = gm.data();
    float* m = exp_avg_[i].data();
    float* v = exp_avg_sq_[i].data();
    // A plain loop: std::sqrt is exact, unlike Eigen's fast-math packet sqrt.
    for (Eigen::Index k = 0; k < pm.size(); ++k) {
      float gk = g[k];
      if (options_.decoupled_weight_decay)
        p[k] *= decay;
      else
        gk += wd * p[k];
      m[k] = m[k] * b1 + gk * one_minus_b1;
      v[k] = v[k] * b2 + gk * gk * one_minus_b2;
      p[k] -= step_size * m[k] / (std::sqrt(v[k]) / bc2_sqrt + options_.eps);
    }
  }
}

std::vector<NamedTensor> Adam::ExportState(const ParamStore& params) const {
  AURIS_CHECK_EQ(params.Size(), static_cast<int>(exp_avg_.size())) << "Adam: parameter count changed";
  AURIS_CHECK_LE(step_, kMaxExactFloatInt) << "Adam step count too large to store exactly";
  std::vector<NamedTensor> out;
  for (int i = 0; i < params.Size(); ++i) {
    out.push_back(ToTensor(kExpAvg + params[i].name, params[i].shape, exp_avg_[i]));
    out.push_back(ToTensor(kExpAvgSq + params[i].name, params[i].shape, exp_avg_sq_[i]));
  }
  NamedTensor step;
  step.name = kStep;
  step.shape = {1};
  step.data = {static_cast<float>(step_)};
  out.push_back(std::move(step));
  return out;
}

void Adam::ImportState(const ParamStore& params, const std::vector<NamedTensor>& tensors) {
  AURIS_CHECK_EQ(params.Size(), static_cast<int>(exp_avg_.size())) << "Adam: parameter count changed";
  std::map<std::string, const NamedTensor*> by_name;
  for (const auto& t : tensors) by_name[t.name] = &t;
  auto take = [&](const std::string& name, const std::vector<std::int64_t>& shape) -> const NamedTensor& {
    const auto it = by_name.find(name);
    if (it == by_name.end()) throw MakeError("optimizer state: missing tensor '", name, "'");
    std::int64_t size = 1;
    for (auto d : shape) size *= d;
    if (it->second->shape != shape || static_cast<std::int64_t>(it->second->data.size()) != size)
      throw MakeError("optimizer state: tensor '", name, "' does not have the parameter's shape");
    return *it->second;
  };
  const NamedTensor& step = take(kStep, {1});
  const float s = step.data[0];
  if (!(s >= 0.0f && s <= static_cast<float>(kMaxExactFloatInt) && s == std::floor(s)))
    throw MakeError("optimizer state: invalid step count ", s);
  // Read everything before changing anything, so a failed import leaves the state intact.
  std::vector<Matrix> avg(exp_avg_.size()), avg_sq(exp_avg_sq_.size());
  for (int i = 0; i < params.Size(); ++i) {
    const auto& a = take(kExpAvg + params[i].name, params[i].shape);
    const auto& b = take(kExpAvgSq + params[i].name, params[i].shape);
    const auto rows = params[i].value.rows(), cols = params[i].value.cols();
    avg[i] = Eigen::Map<const Matrix>(a.data.data(), rows, cols);
    avg_sq[i] = Eigen::Map<const Matrix>(b.data.data(), rows, cols);
  }
  exp_avg_ = std::move(avg);
  exp_avg_sq_ = std::move(avg_sq);
  step_ = static_cast<std::int64_t>(s);
}

}  // namespace auris::nn
