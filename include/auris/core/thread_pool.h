// A fixed pool of worker threads. ParallelFor hands out indices in order and
// blocks until all are done; exceptions thrown by the body are rethrown to
// the caller (the first one, after every task has finished).
#pragma once

#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <exception>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace auris {

class ThreadPool {
 public:
  // num_threads <= 0 means all hardware threads.
  explicit ThreadPool(int num_threads = 0);
  ~ThreadPool();
  ThreadPool(const ThreadPool&) = delete;
  ThreadPool& operator=(const ThreadPool&) = delete;

  int NumThreads() const { return static_cast<int>(workers_.size()) + 1; }

  // Calls body(i, thread_index) for i in [0, n); the calling thread works too
  // (thread_index 0). Indices are taken in increasing order.
  void ParallelFor(std::size_t n, const std::function<void(std::size_t, int)>& body);

  static int HardwareThreads();

 private:
  void WorkerLoop(int thread_index);
  void RunTasks(int thread_index);

  std::vector<std::thread> workers_;
  std::mutex mu_;
  std::condition_variable wake_;
  std::condition_variable done_;
  const std::function<void(std::size_t, int)>* body_ = nullptr;
  std::size_t next_ = 0;
  std::size_t total_ = 0;
  std::size_t finished_ = 0;
  int busy_workers_ = 0;
  std::uint64_t generation_ = 0;
  bool stop_ = false;
  std::exception_ptr first_error_;
};

}  // namespace auris
