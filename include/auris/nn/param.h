// Model parameters and their gradients. Parameters are registered under
// PyTorch's state_dict names and shapes so PyTorch weights load directly.
// Gradients live apart from parameters (Grads) so several threads can run
// forward/backward on parts of a batch at once and their gradients be summed
// in a fixed order (deterministic).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "auris/core/eigen.h"
#include "auris/core/rng.h"
#include "auris/core/tensor.h"

namespace auris::nn {

struct Param {
  std::string name;                  // e.g. "encoder.0.weight_ih_l0"
  std::vector<std::int64_t> shape;   // PyTorch shape; 1-D tensors are stored as 1 x n
  Matrix value;
};

class ParamStore {
 public:
  // Adds a zero-initialised parameter and returns its index. 1-D shapes give
  // a 1 x n matrix; 2-D shapes rows x cols.
  // Throws auris::Error when the store would exceed its scalar limit.
  int Add(const std::string& name, std::vector<std::int64_t> shape);
  // Caps the total number of scalars, so that a corrupt architecture fails
  // before allocating (a model file's limit is the weights it holds).
  void SetMaxScalars(std::int64_t n) { max_scalars_ = n; }
  // Streaming steps of lstm and linear layers read their weight matrices as
  // int8 with a scale per row (nn/int8_weights.h) for states created after
  // this is set; Forward and training always use the float values.
  void SetInt8Step(bool on) { int8_step_ = on; }
  bool Int8Step() const { return int8_step_; }
  int Size() const { return static_cast<int>(params_.size()); }
  Param& operator[](int i) { return params_[i]; }
  const Param& operator[](int i) const { return params_[i]; }
  std::int64_t NumScalars() const { return num_scalars_; }
  // Index of a name, or -1.
  int Find(const std::string& name) const;

  std::vector<NamedTensor> Export() const;
  // Every tensor must match a parameter by name and shape, and every
  // parameter must be given; otherwise throws auris::Error naming it.
  void Import(const std::vector<NamedTensor>& tensors);

 private:
  std::vector<Param> params_;
  std::int64_t num_scalars_ = 0;
  std::int64_t max_scalars_ = INT64_MAX;
  bool int8_step_ = false;
};

// One gradient matrix per parameter, same shapes.
struct Grads {
  std::vector<Matrix> g;
  explicit Grads(const ParamStore& store);
  Grads() = default;
  void SetZero();
  void Add(const Grads& other);  // this += other
  void Scale(float s);
};

// Initialisation helpers (PyTorch-like defaults): uniform(-k, k).
void InitUniform(Matrix& m, float k, Rng& rng);

}  // namespace auris::nn
