// FrameRing: fixed-size float frames addressed by absolute index (0 = first
// frame ever pushed), oldest first. Streaming stages keep only the frames
// they still need; storage is a circular buffer that doubles when full, so
// steady-state pushing and popping never allocates.
#pragma once

#include <algorithm>
#include <cstdint>
#include <utility>
#include <vector>

namespace auris::dsp {

class FrameRing {
 public:
  // dim >= 0 (checked by the owners).
  explicit FrameRing(int dim, std::int64_t initial_capacity = 16)
      : dim_(dim),
        capacity_(std::max<std::int64_t>(1, initial_capacity)),
        data_(static_cast<std::size_t>(capacity_ * dim)) {}

  int Dim() const { return dim_; }
  std::int64_t NumFrames() const { return end_; }    // pushed so far, counting popped
  std::int64_t NumPopped() const { return begin_; }  // absolute index of the oldest held
  std::int64_t Size() const { return end_ - begin_; }

  // Storage (uninitialised) for frame NumFrames(); valid until the next Push.
  float* Push() {
    if (Size() == capacity_) Grow();
    return Slot(end_++);
  }
  void Push(const float* frame) { std::copy(frame, frame + dim_, Push()); }

  // Frame t, NumPopped() <= t < NumFrames() (the owners check).
  const float* Row(std::int64_t t) const noexcept { return data_.data() + (t % capacity_) * dim_; }

  // Forgets every frame before t (frames already gone stay gone).
  void PopBefore(std::int64_t t) noexcept { begin_ = std::clamp(t, begin_, end_); }

 private:
  float* Slot(std::int64_t t) noexcept { return data_.data() + (t % capacity_) * dim_; }

  void Grow() {
    FrameRing bigger(dim_, capacity_ * 2);
    bigger.begin_ = bigger.end_ = begin_;
    for (std::int64_t t = begin_; t < end_; ++t) bigger.Push(Row(t));
    *this = std::move(bigger);
  }

  int dim_;
  std::int64_t capacity_;
  std::int64_t begin_ = 0;
  std::int64_t end_ = 0;
  std::vector<float> data_;
};

}  // namespace auris::dsp
