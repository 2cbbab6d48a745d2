// The one feature driver: OnlineFeature<Computer> (Kaldi's
// OnlineGenericBaseFeature). Batch extraction is this driver fed the whole
// signal once followed by InputFinished(), so online == batch by construction.
#pragma once

#include <algorithm>
#include <cstdint>
#include <vector>

#include "auris/core/eigen.h"
#include "auris/core/error.h"
#include "auris/dsp/feature_window.h"
#include "auris/dsp/frame_source.h"
#include "auris/dsp/frame_store.h"

namespace auris::dsp {

// Throws auris::Error naming --sample-frequency when the rates differ.
void CheckSampleRate(float got_hz, float expected_hz);

template <class Computer>
class OnlineFeature {
 public:
  using Options = typename Computer::Options;

  explicit OnlineFeature(const Options& opts)
      : computer_(opts),
        source_(computer_.GetFrameOptions()),
        processor_(computer_.GetFrameOptions()),
        frame_(computer_.GetFrameOptions().WindowSize()),
        store_(computer_.Dim()) {}

  int Dim() const { return computer_.Dim(); }
  const FrameOptions& GetFrameOptions() const { return computer_.GetFrameOptions(); }
  float FrameShiftSeconds() const {
    return GetFrameOptions().frame_shift_ms / 1000.0f;
  }

  // Appends samples (Kaldi int16 scale) at `sample_rate` and computes every
  // frame that is now complete. Throws after InputFinished() or on a rate
  // mismatch.
  void AcceptWaveform(float sample_rate, const float* samples, std::int64_t n) {
    CheckSampleRate(sample_rate, GetFrameOptions().sample_frequency_hz);
    if (source_.Finished()) throw Error("AcceptWaveform called after InputFinished");
    source_.Feed(samples, n);
    ComputeAvailable();
  }
  // Flushes the last frames (snip_edges=false reflects the end). Idempotent.
  void InputFinished() {
    if (source_.Finished()) return;
    source_.Finish();
    ComputeAvailable();
  }
  bool IsInputFinished() const { return source_.Finished(); }

  // Frames computed so far, counting popped ones; frame indices are absolute.
  std::int64_t NumFramesReady() const { return store_.NumFrames(); }
  std::int64_t NumFramesPopped() const { return store_.NumPopped(); }
  bool IsLastFrame(std::int64_t frame) const {
    return source_.Finished() && frame == NumFramesReady() - 1;
  }
  // Row of frame `frame` (Dim() floats), valid until the next Accept/Pop.
  const float* Frame(std::int64_t frame) const {
    CheckFrame(frame);
    return store_.Row(frame);
  }
  void GetFrame(std::int64_t frame, float* out) const {
    const float* row = Frame(frame);
    std::copy(row, row + Dim(), out);
  }
  // Frames [first, first + count) as a matrix.
  Matrix GetFrames(std::int64_t first, std::int64_t count) const {
    Matrix m(count, Dim());
    for (std::int64_t i = 0; i < count; ++i) GetFrame(first + i, m.row(i).data());
    return m;
  }
  // Drops the n oldest frames still held (their memory is reused).
  void Pop(std::int64_t n) {
    if (n < 0 || n > NumFramesReady() - NumFramesPopped())
      throw MakeError("Pop(", n, "): only ", NumFramesReady() - NumFramesPopped(),
                      " frames held");
    store_.Pop(n);
  }
  // Pops every frame held and returns them, oldest first (no copy when
  // nothing was popped before: batch extraction).
  Matrix PopAll() { return store_.PopAll(); }

 private:
  void CheckFrame(std::int64_t frame) const {
    if (frame < NumFramesPopped() || frame >= NumFramesReady())
      throw MakeError("frame ", frame, " not available (held: [", NumFramesPopped(), ", ",
                      NumFramesReady(), "))");
  }
  void ComputeAvailable() {
    const std::int64_t available = source_.NumFramesAvailable();
    store_.Reserve(store_.Size() + (available - store_.NumFrames()));
    for (std::int64_t f = store_.NumFrames(); f < available; ++f) {
      const float* samples = source_.Extract(f, frame_.data());
      float* window = computer_.WindowBuffer();
      const float energy = processor_.Process(samples, computer_.NeedRawLogEnergy(), window);
      computer_.Compute(energy, 1.0f, window, store_.Push());
    }
    source_.Commit(available);
  }

  Computer computer_;
  FrameSource source_;
  WindowProcessor processor_;
  std::vector<float> frame_;  // scratch for frames Extract must assemble
  FrameStore store_;
};

// Batch extraction: the online driver fed once, then InputFinished().
template <class Computer>
Matrix ComputeFeatures(const typename Computer::Options& opts, const float* samples,
                       std::int64_t n) {
  OnlineFeature<Computer> feature(opts);
  feature.AcceptWaveform(opts.frame.sample_frequency_hz, samples, n);
  feature.InputFinished();
  return feature.PopAll();
}

}  // namespace auris::dsp
