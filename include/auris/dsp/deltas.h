// Delta features exactly as Kaldi's add-deltas (DeltaFeatures): the filter of
// order i is the order-(i-1) filter convolved with [-w..w] / sum(j^2), and
// frames outside the utterance are replaced by the first / last frame. The
// output of one frame is [static | delta | delta-delta | ...], dim*(order+1).
//
// Note: Kaldi's order-2 output equals torchaudio's compute_deltas applied
// twice only away from the edges: Kaldi clamps indices into the input
// features, compute_deltas twice replicates the first-order deltas instead.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "auris/core/eigen.h"
#include "auris/dsp/frame_store.h"
#include "auris/dsp/online_frame_stage.h"

namespace auris::dsp {

struct DeltaOptions {
  int order = 2;          // --delta-order: 0 = static features only
  int window_frames = 2;  // --delta-window: each order's filter has 2*w+1 taps

  void Validate() const;  // throws auris::Error naming the Kaldi option
  std::string ToString() const;
  // Frames of context needed on each side of a frame: order * window.
  int ContextFrames() const { return order * window_frames; }
};

// Kaldi's filters, scales[i] has 2*i*window+1 taps (scales[0] = {1}); computed
// in float in Kaldi's order of operations so results match Kaldi bit for bit.
std::vector<std::vector<float>> DeltaScales(const DeltaOptions& opts);

// Streaming deltas. Frame t is emitted as soon as frame t + ContextFrames() has
// arrived; InputFinished() emits the rest with the last frame replicated. For
// any chunking the output is identical to one call (AddDeltas uses this class).
// Output frames are read through OnlineFrameStage (Frame, GetFrames, Pop...).
class OnlineDeltas : public OnlineFrameStage {
 public:
  OnlineDeltas(const DeltaOptions& opts, int input_dim);

  int InputDim() const { return input_dim_; }

  // One frame of InputDim() floats. Throws after InputFinished().
  void AcceptFrame(const float* frame);
  // Every row, in order; throws unless frames.cols() == InputDim().
  void AcceptFrames(const Matrix& frames);
  // Emits the remaining frames. Idempotent.
  void InputFinished();

 private:
  // Computes output frame NumFramesReady() reading inputs clamped to
  // [0, last_input].
  void EmitFrame(std::int64_t last_input);

  DeltaOptions opts_;
  int input_dim_;
  std::vector<std::vector<float>> scales_;
  FrameStore input_;  // inputs from (next output - context) on
};

// Batch form: the same computation on a whole utterance (T x dim) giving
// T x dim*(order+1). An empty input gives an empty output.
Matrix AddDeltas(const Matrix& feats, const DeltaOptions& opts);

}  // namespace auris::dsp
