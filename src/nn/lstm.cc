#include "auris/nn/lstm.h"

#include <array>
#include <cmath>
#include <sstream>

#include "auris/core/check.h"
#include "auris/nn/dropout.h"
#include "auris/nn/int8_weights.h"
#include "auris/nn/mat_vec_many.h"
#include "lstm_internal.h"

namespace auris::nn {

// Per layer, from the parameters: Wᵀ of the input and recurrent weights (the
// layout AddMatVecMany reads) and b_ih + b_hh.
struct LstmStepWeights {
  std::vector<Matrix> w_ih_t, w_hh_t;
  std::vector<Int8Matrix> q_ih_t, q_hh_t;  // instead, with ParamStore::Int8Step
  std::vector<Vector> bias;
};

namespace {

using lstm_internal::ActivateGates;
using lstm_internal::LayerRecord;
using lstm_internal::LstmCache;

struct LstmStepState final : StepState {
  std::vector<Vector> h, c, gates;
  std::shared_ptr<const LstmStepWeights> w;
  void Reset() override {
    for (auto& v : h) v.setZero();
    for (auto& v : c) v.setZero();
  }
};

// One direction of one layer over the batch. `gates` enters as the input
// projection (T*B x 4H, biases included) and leaves as the activated gates.
void RunDirection(const Matrix& w_hh, const std::vector<int>& lengths, int steps, int batch,
                  bool reverse, Matrix& gates, Matrix& cells, Matrix& hs) {
  const int hid = static_cast<int>(w_hh.cols());
  Matrix h = Matrix::Zero(batch, hid), c = Matrix::Zero(batch, hid);
  cells = Matrix::Zero(gates.rows(), hid);
  hs = Matrix::Zero(gates.rows(), hid);
  for (int s = 0; s < steps; ++s) {
    const int t = reverse ? steps - 1 - s : s;
    const Eigen::Index base = static_cast<Eigen::Index>(t) * batch;
    auto g = gates.middleRows(base, batch);
    if (s > 0) g.noalias() += h * w_hh.transpose();
    for (int b = 0; b < batch; ++b) {
      auto gr = g.row(b);
      if (t >= lengths[b]) {  // padding: state untouched, nothing to backprop
        gr.setZero();
        continue;
      }
      ActivateGates(gr, hid);
      c.row(b).array() = gr.segment(hid, hid).array() * c.row(b).array() +
                         gr.segment(0, hid).array() * gr.segment(2 * hid, hid).array();
      h.row(b).array() = gr.segment(3 * hid, hid).array() * c.row(b).array().tanh();
      cells.row(base + b) = c.row(b);
      hs.row(base + b) = h.row(b);
    }
  }
}

}  // namespace

void LstmOptions::Validate() const {
  if (input <= 0) throw MakeError("lstm: input dimension must be positive, got ", input);
  if (hidden <= 0) throw MakeError("lstm: 'hidden' must be positive, got ", hidden);
  if (num_layers <= 0) throw MakeError("lstm: 'num_layers' must be positive, got ", num_layers);
  if (!(dropout >= 0.0f && dropout < 1.0f)) throw MakeError("lstm: 'dropout' must be in [0, 1), got ", dropout);
}

std::string LstmOptions::ToString() const {
  std::ostringstream os;
  os << "lstm(input=" << input << ", hidden=" << hidden << ", num_layers=" << num_layers
     << ", bidirectional=" << (bidirectional ? "true" : "false") << ", dropout=" << dropout << ")";
  return os.str();
}

Lstm::Lstm(ParamStore& params, const std::string& prefix, const LstmOptions& opts, Rng& rng)
    : opts_(opts) {
  opts_.Validate();
  const int h4 = 4 * opts_.hidden;
  const float k = 1.0f / std::sqrt(static_cast<float>(opts_.hidden));
  for (int l = 0; l < opts_.num_layers; ++l) {
    const int in = l == 0 ? opts_.input : opts_.hidden * Directions();
    for (int d = 0; d < Directions(); ++d) {
      const std::string sfx = "_l" + std::to_string(l) + (d ? "_reverse" : "");
      DirectionParams p;
      p.w_ih = params.Add(prefix + "weight_ih" + sfx, {h4, in});
      p.w_hh = params.Add(prefix + "weight_hh" + sfx, {h4, opts_.hidden});
      p.b_ih = params.Add(prefix + "bias_ih" + sfx, {h4});
      p.b_hh = params.Add(prefix + "bias_hh" + sfx, {h4});
      for (int i : {p.w_ih, p.w_hh, p.b_ih, p.b_hh}) InitUniform(params[i].value, k, rng);
      p_.push_back(p);
    }
  }
}

SeqBatch Lstm::Forward(const SeqBatch& in, const ParamStore& params, RunContext& ctx,
                       std::unique_ptr<LayerCache>* cache) const {
  AURIS_CHECK_EQ(in.Dim(), opts_.input) << "lstm input dimension";
  const int hid = opts_.hidden, dirs = Directions();
  const bool drop = ctx.training && opts_.dropout > 0.0f;
  if (drop) {
    AURIS_CHECK(ctx.rng != nullptr) << "lstm dropout in training needs RunContext::rng";
  }

  auto c = std::make_unique<LstmCache>();
  c->lengths = in.lengths;
  c->steps = in.steps;
  c->batch = in.batch;
  c->layers.resize(opts_.num_layers);
  SeqBatch out = SeqBatch::ZerosLike(in, OutputDim());
  for (int l = 0; l < opts_.num_layers; ++l) {
    LayerRecord& rec = c->layers[l];
    if (l == 0 && cache) rec.input = in.data;  // for dW_ih in Backward
    const Matrix& x = l == 0 ? in.data : rec.input;
    for (int d = 0; d < dirs; ++d) {
      const DirectionParams& p = ParamsOf(l, d);
      rec.gates[d].noalias() = x * params[p.w_ih].value.transpose();
      rec.gates[d].rowwise() += params[p.b_ih].value.row(0) + params[p.b_hh].value.row(0);
      RunDirection(params[p.w_hh].value, in.lengths, in.steps, in.batch, d == 1, rec.gates[d],
                   rec.cells[d], rec.hs[d]);
    }
    const bool last = l + 1 == opts_.num_layers;
    Matrix& dest = last ? out.data : c->layers[l + 1].input;
    if (dirs == 1) {
      dest = rec.hs[0];
    } else {
      dest.resize(rec.hs[0].rows(), 2 * hid);
      dest.leftCols(hid) = rec.hs[0];
      dest.rightCols(hid) = rec.hs[1];
    }
    if (!last && drop) {
      rec.dropout_mask.resize(dest.rows(), dest.cols());
      DropoutMask(rec.dropout_mask, opts_.dropout, *ctx.rng);
      dest.array() *= rec.dropout_mask.array();
    }
  }
  if (cache) *cache = std::move(c);
  return out;
}

std::unique_ptr<StepState> Lstm::NewStepState(const ParamStore& params) const {
  if (opts_.bidirectional) throw MakeError("a bidirectional lstm cannot run step by step");
  auto s = std::make_unique<LstmStepState>();
  for (int l = 0; l < opts_.num_layers; ++l) {
    s->h.push_back(Vector::Zero(opts_.hidden));
    s->c.push_back(Vector::Zero(opts_.hidden));
    s->gates.push_back(Vector::Zero(4 * opts_.hidden));
  }
  s->w = step_weights_.Get(params, [&] {
    LstmStepWeights w;
    for (int l = 0; l < opts_.num_layers; ++l) {
      const DirectionParams& p = ParamsOf(l, 0);
      if (params.Int8Step()) {
        w.q_ih_t.push_back(QuantizeRows(params[p.w_ih].value, true));
        w.q_hh_t.push_back(QuantizeRows(params[p.w_hh].value, true));
      } else {
        w.w_ih_t.push_back(params[p.w_ih].value.transpose());
        w.w_hh_t.push_back(params[p.w_hh].value.transpose());
      }
      w.bias.push_back((params[p.b_ih].value + params[p.b_hh].value).row(0).transpose());
    }
    return w;
  });
  return s;
}

void Lstm::Step(const float* in, const ParamStore& params, StepState& state, float* out) const {
  const float* x[] = {in};
  StepState* s[] = {&state};
  float* y[] = {out};
  StepMany(x, params, s, y);
}

void Lstm::StepMany(std::span<const float* const> in, const ParamStore&, std::span<StepState* const> states,
                    std::span<float* const> out) const {
  const std::size_t n = states.size();
  AURIS_CHECK(in.size() == n && out.size() == n && n <= kMaxStepMany);
  if (n == 0) return;
  // Every live stream of this layer holds the same weights: read once for all.
  const LstmStepWeights& w = *static_cast<const LstmStepState&>(*states[0]).w;
  std::array<LstmStepState*, kMaxStepMany> s;
  std::array<const float*, kMaxStepMany> x, h;
  std::array<float*, kMaxStepMany> g;
  for (std::size_t i = 0; i < n; ++i) {
    s[i] = static_cast<LstmStepState*>(states[i]);
    AURIS_CHECK(s[i]->w.get() == &w) << "lstm: streams of other weights (another model, or float and int8) stepped together";
    x[i] = in[i];
  }
  const int hid = opts_.hidden;
  for (int l = 0; l < opts_.num_layers; ++l) {
    for (std::size_t i = 0; i < n; ++i) {
      s[i]->gates[l] = w.bias[l];
      g[i] = s[i]->gates[l].data();
      h[i] = s[i]->h[l].data();
    }
    if (w.q_ih_t.empty()) {
      AddMatVecMany(w.w_ih_t[l], {x.data(), n}, {g.data(), n});
      AddMatVecMany(w.w_hh_t[l], {h.data(), n}, {g.data(), n});
    } else {
      AddMatVecManyInt8(w.q_ih_t[l], {x.data(), n}, {g.data(), n});
      AddMatVecManyInt8(w.q_hh_t[l], {h.data(), n}, {g.data(), n});
    }
    for (std::size_t i = 0; i < n; ++i) {
      Vector& gi = s[i]->gates[l];
      ActivateGates(gi, hid);
      s[i]->c[l].array() = gi.segment(hid, hid).array() * s[i]->c[l].array() +
                           gi.segment(0, hid).array() * gi.segment(2 * hid, hid).array();
      s[i]->h[l].array() = gi.segment(3 * hid, hid).array() * s[i]->c[l].array().tanh();
      x[i] = s[i]->h[l].data();
    }
  }
  for (std::size_t i = 0; i < n; ++i) std::copy(x[i], x[i] + hid, out[i]);
}

}  // namespace auris::nn
