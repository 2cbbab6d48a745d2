// OnlineFrameStage: the output side shared by the streaming frame-to-frame
// stages (OnlineDeltas, OnlineSlidingCmn). Same reading contract as
// OnlineFeature: absolute frame indices, Frame/GetFrame/GetFrames, Pop to keep
// memory bounded, so stages chain as `next.AcceptFrame(prev.Frame(t))`.
#pragma once

#include <cstdint>

#include "auris/core/eigen.h"
#include "auris/dsp/frame_store.h"

namespace auris::dsp {

class OnlineFrameStage {
 public:
  int OutputDim() const { return output_.Dim(); }
  bool IsInputFinished() const { return finished_; }

  // Frames emitted so far, counting popped ones.
  std::int64_t NumFramesReady() const { return output_.NumFrames(); }
  std::int64_t NumFramesPopped() const { return output_.NumPopped(); }
  bool IsLastFrame(std::int64_t t) const { return finished_ && t == NumFramesReady() - 1; }
  // Row of frame t (OutputDim() floats), NumFramesPopped() <= t <
  // NumFramesReady(); valid until the next Accept/InputFinished/Pop.
  const float* Frame(std::int64_t t) const;
  void GetFrame(std::int64_t t, float* out) const;
  // Frames [first, first + count) as a matrix.
  Matrix GetFrames(std::int64_t first, std::int64_t count) const;
  // Releases the n oldest frames still held.
  void Pop(std::int64_t n);

 protected:
  // name prefixes error messages.
  OnlineFrameStage(const char* name, int output_dim) : name_(name), output_(output_dim) {}
  ~OnlineFrameStage() = default;

  // Storage for the next output frame, NumFramesReady().
  float* PushOutput() { return output_.Push(); }
  // Throws if the input is finished or the frame matrix has the wrong width.
  void CheckAccept(std::int64_t cols, int input_dim) const;
  // Returns false if already finished; marks the input finished.
  bool MarkFinished();

 private:
  const char* name_;
  FrameStore output_;
  bool finished_ = false;
};

}  // namespace auris::dsp
