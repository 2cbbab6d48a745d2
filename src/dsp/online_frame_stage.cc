#include "auris/dsp/online_frame_stage.h"

#include <algorithm>

#include "auris/core/error.h"

namespace auris::dsp {

const float* OnlineFrameStage::Frame(std::int64_t t) const {
  if (t < NumFramesPopped() || t >= NumFramesReady())
    throw MakeError(name_, ": frame ", t, " not available (held: [", NumFramesPopped(), ", ",
                    NumFramesReady(), "))");
  return output_.Row(t);
}

void OnlineFrameStage::GetFrame(std::int64_t t, float* out) const {
  const float* row = Frame(t);
  std::copy(row, row + OutputDim(), out);
}

Matrix OnlineFrameStage::GetFrames(std::int64_t first, std::int64_t count) const {
  if (count < 0) throw MakeError(name_, ": GetFrames count ", count, " < 0");
  Matrix m(count, OutputDim());
  for (std::int64_t i = 0; i < count; ++i) GetFrame(first + i, m.row(i).data());
  return m;
}

void OnlineFrameStage::Pop(std::int64_t n) {
  if (n < 0 || n > output_.Size())
    throw MakeError(name_, ": Pop(", n, "): only ", output_.Size(), " frames held");
  output_.PopBefore(output_.NumPopped() + n);
}

void OnlineFrameStage::CheckAccept(std::int64_t cols, int input_dim) const {
  if (finished_) throw MakeError(name_, ": frames accepted after InputFinished()");
  if (cols != input_dim)
    throw MakeError(name_, ": frame has ", cols, " values, expected ", input_dim);
}

bool OnlineFrameStage::MarkFinished() {
  if (finished_) return false;
  finished_ = true;
  return true;
}

}  // namespace auris::dsp
