// A fixed pool of threads taking tasks in FIFO order (the recognition
// workers of `auris serve`). Unlike core's ThreadPool::ParallelFor, Push
// never blocks: tasks come from the I/O thread and must not stall it.
#pragma once

#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace auris::serve {

class WorkQueue {
 public:
  explicit WorkQueue(int num_threads);
  // Drops tasks not yet started, waits for running ones.
  ~WorkQueue();
  WorkQueue(const WorkQueue&) = delete;
  WorkQueue& operator=(const WorkQueue&) = delete;

  void Push(std::function<void()> task);

 private:
  void Loop();

  std::mutex mu_;
  std::condition_variable wake_;
  std::deque<std::function<void()>> tasks_;
  bool stop_ = false;
  std::vector<std::thread> threads_;
};

}  // namespace auris::serve
