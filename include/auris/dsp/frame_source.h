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
  // The kept samples: [kept_offset_, kept_offset_ + KeptSize()) from
  // kept_[dead_] on; kept_[0, dead_) are obsolete, erased in bulk.
  const float* Kept() const noexcept { return kept_.data() + dead_; }
  std::int64_t KeptSize() const noexcept {
    return static_cast<std::int64_t>(kept_.size()) - dead_;
  }
  std::vector<float> kept_;
  std::int64_t dead_ = 0;
  std::int64_t kept_offset_ = 0;
  const float* chunk_ = nullptr;  // samples [kept end, num_samples_)
  std::int64_t chunk_size_ = 0;
};

}  // namespace auris::dsp
