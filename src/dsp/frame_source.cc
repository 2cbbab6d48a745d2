#include "auris/dsp/frame_source.h"

#include <algorithm>

#include "auris/core/error.h"
#include "auris/dsp/feature_window.h"

namespace auris::dsp {

FrameSource::FrameSource(const FrameOptions& opts)
    : opts_(opts), window_size_(opts.WindowSize()) {}

void FrameSource::Feed(const float* samples, std::int64_t n) {
  if (chunk_ != nullptr) throw Error("FrameSource::Feed: previous chunk not committed");
  if (n < 0) throw MakeError("FrameSource::Feed: negative sample count ", n);
  chunk_ = samples;
  chunk_size_ = n;
  num_samples_ += n;
}

std::int64_t FrameSource::NumFramesAvailable() const {
  return NumFrames(num_samples_, opts_, finished_);
}

float FrameSource::Sample(std::int64_t index) const noexcept {
  const std::int64_t in_kept = index - kept_offset_;
  const std::int64_t kept_size = KeptSize();
  return in_kept < kept_size ? Kept()[in_kept] : chunk_[in_kept - kept_size];
}

void FrameSource::CopyRange(std::int64_t begin, std::int64_t count, float* dst) const noexcept {
  const std::int64_t kept_end = kept_offset_ + KeptSize();
  const std::int64_t from_kept = std::clamp<std::int64_t>(kept_end - begin, 0, count);
  if (from_kept > 0) std::copy_n(Kept() + (begin - kept_offset_), from_kept, dst);
  if (from_kept < count)
    std::copy_n(chunk_ + (begin + from_kept - kept_end), count - from_kept, dst + from_kept);
}

const float* FrameSource::Extract(std::int64_t frame, float* scratch) const noexcept {
  const std::int64_t start = FirstSampleOfFrame(frame, opts_);
  if (start >= 0 && start + window_size_ <= num_samples_) {
    const std::int64_t kept_end = kept_offset_ + KeptSize();
    if (start + window_size_ <= kept_end) return Kept() + (start - kept_offset_);
    if (start >= kept_end) return chunk_ + (start - kept_end);
    CopyRange(start, window_size_, scratch);
    return scratch;
  }
  // snip_edges=false edge frame: reflect about the signal ends, repeating the
  // edge sample (Kaldi's ExtractWindow; torchaudio flips with the edge too).
  for (int s = 0; s < window_size_; ++s) {
    std::int64_t i = start + s;
    while (i < 0 || i >= num_samples_) i = i < 0 ? -i - 1 : 2 * num_samples_ - 1 - i;
    scratch[s] = Sample(i);
  }
  return scratch;
}

void FrameSource::Commit(std::int64_t next_frame) {
  // Keep one extra window before the next frame: reflected samples at the
  // end of the signal may reach back that far.
  const std::int64_t keep_from = std::clamp<std::int64_t>(
      FirstSampleOfFrame(next_frame, opts_) - window_size_, kept_offset_, num_samples_);
  const std::int64_t kept_end = kept_offset_ + KeptSize();
  if (keep_from >= kept_end) {
    // Everything kept is obsolete: keep a tail of the chunk only.
    kept_.assign(chunk_ + (keep_from - kept_end), chunk_ + chunk_size_);
    dead_ = 0;
  } else {
    // Obsolete samples are dropped from the front only once they outnumber
    // the live ones: small chunks (10 ms) do not each move the whole tail.
    dead_ += keep_from - kept_offset_;
    if (dead_ >= KeptSize()) {
      kept_.erase(kept_.begin(), kept_.begin() + dead_);
      dead_ = 0;
    }
    if (chunk_size_ > 0) kept_.insert(kept_.end(), chunk_, chunk_ + chunk_size_);
  }
  kept_offset_ = keep_from;
  chunk_ = nullptr;
  chunk_size_ = 0;
}

}  // namespace auris::dsp
