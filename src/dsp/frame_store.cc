#include "auris/dsp/frame_store.h"

#include "auris/core/error.h"

namespace auris::dsp {

void FrameStore::Reserve(std::int64_t rows) {
  if (rows <= capacity_) return;
  const std::int64_t new_capacity = std::max({rows, 2 * capacity_, std::int64_t{16}});
  // Unroll the ring into the larger buffer (oldest row first); rows beyond
  // count_ are left uninitialised.
  Matrix grown(new_capacity, dim_);
  for (std::int64_t r = 0; r < count_; ++r)
    std::copy_n(Row(first_ + r), dim_, grown.data() + r * dim_);
  data_.swap(grown);
  capacity_ = new_capacity;
  head_ = 0;
}

float* FrameStore::Push() {
  if (count_ == capacity_) Reserve(count_ + 1);  // doubles
  float* row = data_.data() + RingIndex(count_) * dim_;
  ++count_;
  return row;
}

void FrameStore::Pop(std::int64_t n) {
  if (n < 0 || n > count_) throw MakeError("FrameStore::Pop(", n, "): ", count_, " rows held");
  if (n == 0) return;
  head_ = RingIndex(n);  // n <= count_ <= capacity_
  count_ -= n;
  first_ += n;
}

Matrix FrameStore::PopAll() {
  Matrix rows;
  if (head_ == 0 && count_ > 0) {
    rows.swap(data_);
    if (count_ < capacity_) rows.conservativeResize(count_, dim_);
    capacity_ = 0;
  } else {
    rows.resize(count_, dim_);
    for (std::int64_t r = 0; r < count_; ++r) std::copy_n(Row(first_ + r), dim_, rows.row(r).data());
  }
  first_ += count_;
  count_ = 0;
  head_ = 0;
  return rows;
}

}  // namespace auris::dsp
