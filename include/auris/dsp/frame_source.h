// The waveform side of the online driver: counts samples, extracts frame
// samples from "kept tail + current chunk" without concatenating them, and
// keeps only the samples that later frames still need (bounded memory).
// snip_edges=false frames reaching before 0 or past the end are reflected
// about the signal edges exactly as Kaldi's ExtractWindow does for a whole file.
#pragma once

#include <cstdint>
#include <vector>

#include "auris/dsp/frame_options.h"

namespace auris::dsp {

class FrameSource {
 public:
  explicit FrameSource(const FrameOptions& opts);

  // Appends `n` samples; the pointer must stay valid until Commit().
  void Feed(const float* samples, std::int64_t n);
  // No more input: the last frames (snip_edges=false) become available.
  void Finish() { finished_ = true; }
  bool Finished() const { return finished_; }
  std::int64_t NumSamples() const { return num_samples_; }
  std::int64_t NumFramesAvailable() const;
  // The WindowSize() samples of `frame` (not yet committed): a pointer into
  // the kept tail or the current chunk when they lie in one of them (no
  // copy), else assembled in `scratch` (WindowSize() floats). Valid until the
  // next Feed/Commit.
  const float* Extract(std::int64_t frame, float* scratch) const noexcept;
  // Frames before `next_frame` are done: keep only samples later frames need
  // (copied out of the chunk), forget the chunk.
  void Commit(std::int64_t next_frame);

 private:
  float Sample(std::int64_t index) const noexcept;
  void CopyRange(std::int64_t begin, std::int64_t count, float* dst) const noexcept;

  FrameOptions opts_;
  int window_size_;
  std::int64_t num_samples_ = 0;  // total fed so far
  bool finished_ = false;
  std::vector<float> kept_;       // samples [kept_offset_, kept_offset_ + kept_.size())
  std::int64_t kept_offset_ = 0;
  const float* chunk_ = nullptr;  // samples [kept end, num_samples_)
  std::int64_t chunk_size_ = 0;
};

// Rows of computed features, oldest first; Pop() frees rows for reuse so a
// stream that pops what it consumed keeps constant memory.
class FrameStore {
 public:
  explicit FrameStore(int dim) : dim_(dim) {}

  int Dim() const { return dim_; }
  std::int64_t NumFrames() const { return first_ + count_; }  // including popped
  std::int64_t NumPopped() const { return first_; }
  float* Push();  // row for frame NumFrames(); grows the ring when full
  const float* Row(std::int64_t frame) const noexcept {
    return data_.data() + ((head_ + (frame - first_)) & (capacity_ - 1)) * dim_;
  }
  void Pop(std::int64_t n);  // n <= NumFrames() - NumPopped()

 private:
  int dim_;
  std::vector<float> data_;
  std::int64_t capacity_ = 0;  // rows; a power of two, so ring indices are masks
  std::int64_t head_ = 0;      // ring index of frame first_
  std::int64_t count_ = 0;     // rows held
  std::int64_t first_ = 0;     // absolute index of the oldest held frame
};

}  // namespace auris::dsp
