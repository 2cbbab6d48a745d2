#include "auris/nn/ensemble.h"

#include <algorithm>
#include <array>

#include "auris/core/check.h"
#include "auris/core/error.h"

namespace auris::nn {
namespace {

struct EnsembleState final : StepState {
  std::vector<std::unique_ptr<StepState>> members;
  std::vector<float> y;  // one member's output
  void Reset() override {
    for (auto& s : members) s->Reset();
  }
};

}  // namespace

Ensemble::Ensemble(std::vector<std::unique_ptr<Sequential>> members) : members_(std::move(members)) {
  if (members_.empty()) throw MakeError("ensemble: no members");
  for (std::size_t k = 1; k < members_.size(); ++k)
    if (members_[k]->InputDim() != InputDim() || members_[k]->OutputDim() != OutputDim())
      throw MakeError("ensemble: member ", k, " maps width ", members_[k]->InputDim(), " to ",
                      members_[k]->OutputDim(), ", member 0 maps ", InputDim(), " to ", OutputDim());
}

SeqBatch Ensemble::Forward(const SeqBatch& in, const ParamStore& params, RunContext& ctx,
                           std::unique_ptr<LayerCache>* cache) const {
  std::unique_ptr<EnsembleCache> c;
  if (cache) {
    c = std::make_unique<EnsembleCache>();
    c->members.resize(members_.size());
  }
  SeqBatch sum = members_[0]->Forward(in, params, ctx, c ? &c->members[0] : nullptr);
  for (std::size_t k = 1; k < members_.size(); ++k) {
    const SeqBatch y = members_[k]->Forward(in, params, ctx, c ? &c->members[k] : nullptr);
    if (y.lengths != sum.lengths || y.data.rows() != sum.data.rows())
      throw MakeError("ensemble: member ", k, " gives a different number of steps than member 0");
    sum.data += y.data;
  }
  sum.data *= 1.0f / static_cast<float>(members_.size());
  if (cache) *cache = std::move(c);
  return sum;
}

SeqBatch Ensemble::Backward(const SeqBatch& grad_out, const ParamStore& params, const LayerCache& cache,
                            Grads& grads) const {
  const auto& c = static_cast<const EnsembleCache&>(cache);
  SeqBatch g = grad_out;
  g.data *= 1.0f / static_cast<float>(members_.size());
  SeqBatch dx = members_[0]->Backward(g, params, *c.members[0], grads);
  for (std::size_t k = 1; k < members_.size(); ++k) dx.data += members_[k]->Backward(g, params, *c.members[k], grads).data;
  return dx;
}

bool Ensemble::IsCausal() const {
  return std::all_of(members_.begin(), members_.end(), [](const auto& m) { return m->IsCausal(); });
}

std::unique_ptr<StepState> Ensemble::NewStepState(const ParamStore& params) const {
  auto s = std::make_unique<EnsembleState>();
  for (const auto& m : members_) s->members.push_back(m->NewStepState(params));
  s->y.resize(static_cast<std::size_t>(OutputDim()));
  return s;
}

void Ensemble::Step(const float* in, const ParamStore& params, StepState& state, float* out) const {
  auto& s = static_cast<EnsembleState&>(state);
  const int n = OutputDim();
  members_[0]->Step(in, params, *s.members[0], out);
  for (std::size_t k = 1; k < members_.size(); ++k) {
    members_[k]->Step(in, params, *s.members[k], s.y.data());
    for (int i = 0; i < n; ++i) out[i] += s.y[i];
  }
  const float scale = 1.0f / static_cast<float>(members_.size());
  for (int i = 0; i < n; ++i) out[i] *= scale;
}

void Ensemble::StepMany(std::span<const float* const> in, const ParamStore& params,
                        std::span<StepState* const> states, std::span<float* const> out) const {
  const std::size_t n = states.size();
  AURIS_CHECK(in.size() == n && out.size() == n && n <= kMaxStepMany);
  const int dim = OutputDim();
  std::array<StepState*, kMaxStepMany> member_states;
  std::array<float*, kMaxStepMany> y;
  for (std::size_t k = 0; k < members_.size(); ++k) {  // summed in Step's order
    for (std::size_t i = 0; i < n; ++i) {
      auto& s = static_cast<EnsembleState&>(*states[i]);
      member_states[i] = s.members[k].get();
      y[i] = k == 0 ? out[i] : s.y.data();
    }
    members_[k]->StepMany(in, params, {member_states.data(), n}, {y.data(), n});
    if (k > 0)
      for (std::size_t i = 0; i < n; ++i)
        for (int j = 0; j < dim; ++j) out[i][j] += y[i][j];
  }
  const float scale = 1.0f / static_cast<float>(members_.size());
  for (std::size_t i = 0; i < n; ++i)
    for (int j = 0; j < dim; ++j) out[i][j] *= scale;
}

}  // namespace auris::nn
