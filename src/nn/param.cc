#include "auris/nn/param.h"

#include <set>

#include "auris/core/check.h"

namespace auris::nn {
namespace {

std::string ShapeString(const std::vector<std::int64_t>& shape) {
  std::string s = "[";
  for (std::size_t i = 0; i < shape.size(); ++i) s += (i ? ", " : "") + std::to_string(shape[i]);
  return s + "]";
}

}  // namespace

int ParamStore::Add(const std::string& name, std::vector<std::int64_t> shape) {
  AURIS_CHECK(Find(name) < 0) << "duplicate parameter name " << name;
  AURIS_CHECK(shape.size() == 1 || shape.size() == 2) << name << ": parameters are 1-D or 2-D";
  Param p;
  p.name = name;
  p.shape = std::move(shape);
  const auto rows = p.shape.size() == 1 ? 1 : p.shape[0];
  const auto cols = p.shape.back();
  std::int64_t size = 0, total = 0;
  if (__builtin_mul_overflow(rows, cols, &size) || __builtin_add_overflow(num_scalars_, size, &total) ||
      total > max_scalars_)
    throw MakeError(name, ": the parameters would exceed ", max_scalars_, " values");
  p.value = Matrix::Zero(rows, cols);
  num_scalars_ = total;
  params_.push_back(std::move(p));
  return Size() - 1;
}

int ParamStore::Find(const std::string& name) const {
  for (int i = 0; i < Size(); ++i)
    if (params_[i].name == name) return i;
  return -1;
}

std::vector<NamedTensor> ParamStore::Export() const {
  std::vector<NamedTensor> out;
  for (const auto& p : params_) {
    NamedTensor t;
    t.name = p.name;
    t.shape = p.shape;
    t.data.assign(p.value.data(), p.value.data() + p.value.size());
    out.push_back(std::move(t));
  }
  return out;
}

void ParamStore::Import(const std::vector<NamedTensor>& tensors) {
  std::set<std::string> seen;
  for (const auto& t : tensors) {
    const int i = Find(t.name);
    if (i < 0) throw MakeError("unexpected tensor '", t.name, "' (not a parameter of this model)");
    if (t.shape != params_[i].shape)
      throw MakeError("tensor '", t.name, "' has shape ", ShapeString(t.shape), ", the model expects ",
                      ShapeString(params_[i].shape));
    AURIS_CHECK_EQ(static_cast<Eigen::Index>(t.data.size()), params_[i].value.size()) << t.name;
    std::copy(t.data.begin(), t.data.end(), params_[i].value.data());
    seen.insert(t.name);
  }
  for (const auto& p : params_)
    if (!seen.count(p.name)) throw MakeError("missing tensor '", p.name, "'");
}

Grads::Grads(const ParamStore& store) {
  for (int i = 0; i < store.Size(); ++i) g.push_back(Matrix::Zero(store[i].value.rows(), store[i].value.cols()));
}

void Grads::SetZero() {
  for (auto& m : g) m.setZero();
}

void Grads::Add(const Grads& other) {
  AURIS_CHECK_EQ(g.size(), other.g.size());
  for (std::size_t i = 0; i < g.size(); ++i) g[i] += other.g[i];
}

void Grads::Scale(float s) {
  for (auto& m : g) m *= s;
}

void InitUniform(Matrix& m, float k, Rng& rng) {
  for (Eigen::Index i = 0; i < m.size(); ++i) m.data()[i] = static_cast<float>(rng.Uniform(-k, k));
}

}  // namespace auris::nn
