// Lock-free single-producer single-consumer ring buffer. The microphone
// callback (producer) only calls Write; it never blocks or allocates.
#pragma once

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <vector>

namespace auris {

template <typename T>
class SpscRingBuffer {
 public:
  // Holds up to `capacity` elements (allocated once, here).
  explicit SpscRingBuffer(std::size_t capacity) : buf_(capacity + 1) {}

  std::size_t Capacity() const { return buf_.size() - 1; }

  // Producer: copies up to n elements, returns how many fit.
  std::size_t Write(const T* data, std::size_t n) noexcept {
    const std::size_t w = write_.load(std::memory_order_relaxed);
    const std::size_t r = read_.load(std::memory_order_acquire);
    const std::size_t free = (r + buf_.size() - w - 1) % buf_.size();
    n = std::min(n, free);
    const std::size_t first = std::min(n, buf_.size() - w);
    std::copy(data, data + first, buf_.data() + w);
    std::copy(data + first, data + n, buf_.data());
    write_.store((w + n) % buf_.size(), std::memory_order_release);
    return n;
  }

  // Consumer: copies up to n elements out, returns how many were read.
  std::size_t Read(T* out, std::size_t n) noexcept {
    const std::size_t r = read_.load(std::memory_order_relaxed);
    const std::size_t w = write_.load(std::memory_order_acquire);
    const std::size_t avail = (w + buf_.size() - r) % buf_.size();
    n = std::min(n, avail);
    const std::size_t first = std::min(n, buf_.size() - r);
    std::copy(buf_.data() + r, buf_.data() + r + first, out);
    std::copy(buf_.data(), buf_.data() + (n - first), out + first);
    read_.store((r + n) % buf_.size(), std::memory_order_release);
    return n;
  }

  std::size_t Available() const noexcept {
    const std::size_t r = read_.load(std::memory_order_acquire);
    const std::size_t w = write_.load(std::memory_order_acquire);
    return (w + buf_.size() - r) % buf_.size();
  }

 private:
  std::vector<T> buf_;
  alignas(64) std::atomic<std::size_t> write_{0};
  alignas(64) std::atomic<std::size_t> read_{0};
};

}  // namespace auris
