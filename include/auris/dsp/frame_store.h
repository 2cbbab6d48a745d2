// FrameStore: the one recycling ring of frames used by every online stage.
#pragma once

#include <algorithm>
#include <cstdint>

#include "auris/core/eigen.h"

namespace auris::dsp {

// Rows of frames (features, or a stage's inputs), oldest first, addressed by
// absolute frame index; Pop() frees rows for reuse so a stream that pops
// what it consumed keeps constant memory.
class FrameStore {
 public:
  explicit FrameStore(int dim) : dim_(dim) {}

  int Dim() const { return dim_; }
  std::int64_t NumFrames() const { return first_ + count_; }  // including popped
  std::int64_t NumPopped() const { return first_; }
  float* Push();  // row for frame NumFrames(); grows the ring when full
  const float* Row(std::int64_t frame) const noexcept {
    return data_.data() + RingIndex(frame - first_) * dim_;
  }
  void Push(const float* frame) { std::copy_n(frame, dim_, Push()); }
  // Room for at least `rows` held rows: twice the capacity (amortised
  // growth), or exactly `rows` if that is more (a batch: one allocation of
  // the final size, handed over as is by PopAll).
  void Reserve(std::int64_t rows);
  std::int64_t Size() const { return count_; }  // rows held
  void Pop(std::int64_t n);  // n <= Size()
  // Drops every frame before absolute index t (clamped to what is held).
  void PopBefore(std::int64_t t) { Pop(std::clamp(t, first_, NumFrames()) - first_); }
  // Every held row, oldest first, popped: the storage itself is handed over
  // when the ring has not wrapped (a batch), else the rows are copied.
  Matrix PopAll();

 private:
  int dim_;
  // Ring index of the held row r (0 = oldest).
  std::int64_t RingIndex(std::int64_t r) const noexcept {
    const std::int64_t i = head_ + r;
    return i < capacity_ ? i : i - capacity_;
  }

  Matrix data_;                // capacity_ x dim_; ring rows
  std::int64_t capacity_ = 0;  // rows
  std::int64_t head_ = 0;      // ring index of frame first_
  std::int64_t count_ = 0;     // rows held
  std::int64_t first_ = 0;     // absolute index of the oldest held frame
};

}  // namespace auris::dsp
