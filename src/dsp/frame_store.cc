#include "auris/dsp/frame_store.h"

#include "auris/core/error.h"

namespace auris::dsp {

float* FrameStore::Push() {
  if (count_ == capacity_) {
    // Grow by unrolling the ring into a larger buffer (oldest row first).
    const std::int64_t new_capacity = std::max<std::int64_t>(16, capacity_ * 2);
    std::vector<float> grown(static_cast<std::size_t>(new_capacity) * dim_);
    for (std::int64_t r = 0; r < count_; ++r)
      std::copy_n(data_.data() + ((head_ + r) & (capacity_ - 1)) * dim_, dim_,
                  grown.data() + r * dim_);
    data_.swap(grown);
    capacity_ = new_capacity;
    head_ = 0;
  }
  float* row = data_.data() + ((head_ + count_) & (capacity_ - 1)) * dim_;
  ++count_;
  return row;
}

void FrameStore::Pop(std::int64_t n) {
  if (n < 0 || n > count_) throw MakeError("FrameStore::Pop(", n, "): ", count_, " rows held");
  if (n == 0) return;
  head_ = (head_ + n) & (capacity_ - 1);
  count_ -= n;
  first_ += n;
}

}  // namespace auris::dsp
