// Backpropagation through time for Lstm. Per layer and direction: one pass
// over the steps in reverse processing order computes the pre-activation
// gate gradients dG (T*B x 4H, zero at padding) with one B x 4H x H product
// per step for dh_{t-1}; the weight gradients are then whole-sequence GEMMs:
// dW_ih = dGᵀ X, dW_hh = dG_shiftedᵀ H_shifted, dX = dG W_ih.
#include "auris/core/check.h"
#include "auris/nn/lstm.h"
#include "lstm_internal.h"

namespace auris::nn {
namespace {

using lstm_internal::LayerRecord;
using lstm_internal::LstmCache;

// dG for one direction. `dh` is dLoss/dh_t from above (T*B x H, any values at
// padding: ignored).
Matrix DirectionBackward(const Matrix& w_hh, const Matrix& gates, const Matrix& cells,
                         const Matrix& dh, const std::vector<int>& lengths, int steps, int batch,
                         bool reverse) {
  const int hid = static_cast<int>(w_hh.cols());
  Matrix dg = Matrix::Zero(gates.rows(), 4 * hid);
  Matrix dh_next = Matrix::Zero(batch, hid), dc_next = Matrix::Zero(batch, hid);
  Eigen::Array<float, 1, Eigen::Dynamic> tc(hid), dc(hid), dout(hid), c_prev(hid);
  for (int s = 0; s < steps; ++s) {
    const int t = reverse ? s : steps - 1 - s;  // reverse of the forward processing order
    const int t_prev = reverse ? t + 1 : t - 1;  // where h_{t-1}, c_{t-1} come from
    const Eigen::Index base = static_cast<Eigen::Index>(t) * batch;
    auto dgt = dg.middleRows(base, batch);
    for (int b = 0; b < batch; ++b) {
      if (t >= lengths[b]) {
        dc_next.row(b).setZero();
        continue;
      }
      const auto g = gates.row(base + b).array();
      const auto i = g.segment(0, hid), f = g.segment(hid, hid), gg = g.segment(2 * hid, hid),
                 o = g.segment(3 * hid, hid);
      if (t_prev >= 0 && t_prev < steps)
        c_prev = cells.row(static_cast<Eigen::Index>(t_prev) * batch + b).array();  // zero if padding
      else
        c_prev.setZero();
      tc = cells.row(base + b).array().tanh();
      dout = dh_next.row(b).array() + dh.row(base + b).array();  // dLoss/dh_t
      dc = dc_next.row(b).array() + dout * o * (1.0f - tc.square());
      auto d = dgt.row(b).array();
      d.segment(0, hid) = dc * gg * i * (1.0f - i);
      d.segment(hid, hid) = dc * c_prev * f * (1.0f - f);
      d.segment(2 * hid, hid) = dc * i * (1.0f - gg.square());
      d.segment(3 * hid, hid) = dout * tc * o * (1.0f - o);
      dc_next.row(b) = (dc * f).matrix();
    }
    dh_next.noalias() = dgt * w_hh;
  }
  return dg;
}

}  // namespace

SeqBatch Lstm::Backward(const SeqBatch& grad_out, const ParamStore& params, const LayerCache& cache,
                        Grads& grads) const {
  const auto& c = static_cast<const LstmCache&>(cache);
  const int hid = opts_.hidden, dirs = Directions(), steps = c.steps, batch = c.batch;
  AURIS_CHECK_EQ(grad_out.Dim(), OutputDim()) << "lstm gradient width";
  const Eigen::Index shifted = static_cast<Eigen::Index>(steps - 1) * batch;

  Matrix d_out = grad_out.data;  // dLoss/d(output of layer l)
  Matrix d_in;
  for (int l = opts_.num_layers - 1; l >= 0; --l) {
    const LayerRecord& rec = c.layers[l];
    d_in = Matrix::Zero(rec.input.rows(), rec.input.cols());
    for (int d = 0; d < dirs; ++d) {
      const DirectionParams& p = ParamsOf(l, d);
      const Matrix dh = d_out.middleCols(d * hid, hid);
      const Matrix dg = DirectionBackward(params[p.w_hh].value, rec.gates[d], rec.cells[d], dh,
                                          c.lengths, steps, batch, d == 1);
      grads.g[p.w_ih].noalias() += dg.transpose() * rec.input;
      const auto db = dg.colwise().sum();
      grads.g[p.b_ih].row(0) += db;
      grads.g[p.b_hh].row(0) += db;
      if (shifted > 0) {
        // h_{t-1} of step t is the output at t-1 (forward) or t+1 (reverse); zero at padding.
        if (d == 0)
          grads.g[p.w_hh].noalias() += dg.bottomRows(shifted).transpose() * rec.hs[d].topRows(shifted);
        else
          grads.g[p.w_hh].noalias() += dg.topRows(shifted).transpose() * rec.hs[d].bottomRows(shifted);
      }
      d_in.noalias() += dg * params[p.w_ih].value;
    }
    if (l > 0) {
      const Matrix& mask = c.layers[l - 1].dropout_mask;
      if (mask.size() > 0) d_in.array() *= mask.array();
      d_out = std::move(d_in);
    }
  }
  SeqBatch grad_in = SeqBatch::ZerosLike(grad_out, opts_.input);
  grad_in.data = std::move(d_in);
  return grad_in;
}

}  // namespace auris::nn
