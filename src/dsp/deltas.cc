#include "auris/dsp/deltas.h"

#include <algorithm>
#include <sstream>

#include "auris/core/error.h"

namespace auris::dsp {

void DeltaOptions::Validate() const {
  // Kaldi rejects the same ranges (DeltaFeatures asserts 0 <= order < 1000 and
  // 0 < window < 1000); the upper bounds catch garbage values.
  if (order < 0 || order >= 1000)
    throw MakeError("--delta-order must be in [0, 1000), got ", order);
  if (window_frames <= 0 || window_frames >= 1000)
    throw MakeError("--delta-window must be in [1, 1000), got ", window_frames);
}

std::string DeltaOptions::ToString() const {
  std::ostringstream os;
  os << "--delta-order=" << order << " --delta-window=" << window_frames;
  return os.str();
}

std::vector<std::vector<float>> DeltaScales(const DeltaOptions& opts) {
  opts.Validate();
  const int w = opts.window_frames;
  std::vector<std::vector<float>> scales(opts.order + 1);
  scales[0] = {1.0f};
  for (int i = 1; i <= opts.order; ++i) {
    const std::vector<float>& prev = scales[i - 1];
    std::vector<float>& cur = scales[i];
    const int prev_offset = (static_cast<int>(prev.size()) - 1) / 2;
    const int cur_offset = prev_offset + w;
    cur.assign(prev.size() + 2 * w, 0.0f);
    float normalizer = 0.0f;
    for (int j = -w; j <= w; ++j) {
      normalizer += static_cast<float>(j * j);
      for (int k = -prev_offset; k <= prev_offset; ++k)
        cur[j + k + cur_offset] += static_cast<float>(j) * prev[k + prev_offset];
    }
    // Kaldi scales by the float reciprocal (not a division per tap).
    const float inv = static_cast<float>(1.0 / normalizer);
    for (float& s : cur) s *= inv;
  }
  return scales;
}

namespace {

int CheckedOutputDim(const DeltaOptions& opts, int input_dim) {
  opts.Validate();
  if (input_dim <= 0) throw MakeError("OnlineDeltas: input dimension must be > 0, got ", input_dim);
  return input_dim * (opts.order + 1);
}

}  // namespace

OnlineDeltas::OnlineDeltas(const DeltaOptions& opts, int input_dim)
    : OnlineFrameStage("OnlineDeltas", CheckedOutputDim(opts, input_dim)),
      opts_(opts),
      input_dim_(input_dim),
      scales_(DeltaScales(opts)),
      input_(input_dim) {}

void OnlineDeltas::AcceptFrame(const float* frame) {
  CheckAccept(input_dim_, input_dim_);
  input_.Push(frame);
  // Frame t needs inputs up to t + context; none of them is clamped yet.
  while (NumFramesReady() + opts_.ContextFrames() < input_.NumFrames())
    EmitFrame(input_.NumFrames() - 1);
}

void OnlineDeltas::AcceptFrames(const Matrix& frames) {
  CheckAccept(frames.rows() == 0 ? input_dim_ : frames.cols(), input_dim_);
  for (Eigen::Index r = 0; r < frames.rows(); ++r) AcceptFrame(frames.row(r).data());
}

void OnlineDeltas::InputFinished() {
  if (!MarkFinished()) return;
  while (NumFramesReady() < input_.NumFrames()) EmitFrame(input_.NumFrames() - 1);
}

void OnlineDeltas::EmitFrame(std::int64_t last_input) {
  const std::int64_t t = NumFramesReady();
  float* out = PushOutput();
  std::fill(out, out + OutputDim(), 0.0f);
  // Same accumulation order as Kaldi's DeltaFeatures::Process: per order,
  // taps left to right, zero taps skipped.
  for (std::size_t i = 0; i < scales_.size(); ++i) {
    const std::vector<float>& scales = scales_[i];
    const int offset = (static_cast<int>(scales.size()) - 1) / 2;
    float* dst = out + i * input_dim_;
    for (int j = -offset; j <= offset; ++j) {
      const float scale = scales[j + offset];
      if (scale == 0.0f) continue;
      const float* src = input_.Row(std::clamp<std::int64_t>(t + j, 0, last_input));
      for (int d = 0; d < input_dim_; ++d) dst[d] += scale * src[d];
    }
  }
  // Later frames read inputs from t + 1 - context on (frame 0 stays while
  // the left edge still clamps to it).
  input_.PopBefore(t + 1 - opts_.ContextFrames());
}

Matrix AddDeltas(const Matrix& feats, const DeltaOptions& opts) {
  opts.Validate();
  if (feats.rows() == 0 || feats.cols() == 0)
    return Matrix(feats.rows(), feats.cols() * (opts.order + 1));
  OnlineDeltas deltas(opts, static_cast<int>(feats.cols()));
  deltas.AcceptFrames(feats);
  deltas.InputFinished();
  return deltas.GetFrames(0, deltas.NumFramesReady());
}

}  // namespace auris::dsp
