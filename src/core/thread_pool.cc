#include "auris/core/thread_pool.h"

#include <algorithm>

namespace auris {

int ThreadPool::HardwareThreads() {
  return std::max(1u, std::thread::hardware_concurrency());
}

ThreadPool::ThreadPool(int num_threads) {
  if (num_threads <= 0) num_threads = HardwareThreads();
  for (int i = 1; i < num_threads; ++i) workers_.emplace_back([this, i] { WorkerLoop(i); });
}

ThreadPool::~ThreadPool() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stop_ = true;
  }
  wake_.notify_all();
  for (auto& w : workers_) w.join();
}

void ThreadPool::RunTasks(int thread_index) {
  std::unique_lock<std::mutex> lock(mu_);
  while (next_ < total_) {
    const std::size_t i = next_++;
    lock.unlock();
    try {
      (*body_)(i, thread_index);
    } catch (...) {
      lock.lock();
      if (!first_error_) first_error_ = std::current_exception();
      lock.unlock();
    }
    lock.lock();
    if (++finished_ == total_) done_.notify_all();
  }
}

void ThreadPool::WorkerLoop(int thread_index) {
  std::uint64_t seen = 0;
  for (;;) {
    {
      std::unique_lock<std::mutex> lock(mu_);
      wake_.wait(lock, [&] { return stop_ || generation_ != seen; });
      if (stop_) return;
      seen = generation_;
      ++busy_workers_;
    }
    RunTasks(thread_index);
    {
      std::lock_guard<std::mutex> lock(mu_);
      --busy_workers_;
    }
    done_.notify_all();
  }
}

void ThreadPool::ParallelFor(std::size_t n, const std::function<void(std::size_t, int)>& body) {
  if (n == 0) return;
  {
    std::lock_guard<std::mutex> lock(mu_);
    body_ = &body;
    next_ = 0;
    total_ = n;
    finished_ = 0;
    first_error_ = nullptr;
    ++generation_;
  }
  wake_.notify_all();
  RunTasks(0);
  std::exception_ptr error;
  {
    std::unique_lock<std::mutex> lock(mu_);
    // Wait for every task and for workers to leave RunTasks, so body_ can die.
    done_.wait(lock, [&] { return finished_ == total_ && busy_workers_ == 0; });
    body_ = nullptr;
    error = first_error_;
  }
  if (error) std::rethrow_exception(error);
}

}  // namespace auris
