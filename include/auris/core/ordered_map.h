// OrderedParallelMap: computes produce(i) for i in [0, n) on a thread pool
// and hands the results to consume(i, result) on the calling thread strictly
// in index order, with at most `window` results in flight — so a batch of a
// million files is written in input order with bounded memory.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstddef>
#include <exception>
#include <map>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

namespace auris {

template <typename Result, typename Produce, typename Consume>
void OrderedParallelMap(std::size_t n, int num_threads, std::size_t window, Produce&& produce,
                        Consume&& consume) {
  if (num_threads <= 1) {
    for (std::size_t i = 0; i < n; ++i) consume(i, produce(i));
    return;
  }
  std::mutex mu;
  std::condition_variable ready;  // a result arrived or a slot freed
  std::map<std::size_t, Result> done;
  std::size_t next_task = 0, next_out = 0;
  std::exception_ptr error;
  bool abort = false;

  auto worker = [&] {
    for (;;) {
      std::size_t i;
      {
        std::unique_lock<std::mutex> lock(mu);
        ready.wait(lock, [&] { return abort || next_task >= n || next_task < next_out + window; });
        if (abort || next_task >= n) return;
        i = next_task++;
      }
      std::optional<Result> r;
      try {
        r.emplace(produce(i));
      } catch (...) {
        std::lock_guard<std::mutex> lock(mu);
        if (!error) error = std::current_exception();
        abort = true;
        ready.notify_all();
        return;
      }
      std::lock_guard<std::mutex> lock(mu);
      done.emplace(i, std::move(*r));
      ready.notify_all();
    }
  };
  std::vector<std::thread> threads;
  for (int t = 0; t < num_threads; ++t) threads.emplace_back(worker);
  try {
    while (next_out < n) {
      std::unique_lock<std::mutex> lock(mu);
      ready.wait(lock, [&] { return abort || done.count(next_out) > 0; });
      if (abort) break;
      auto node = done.extract(next_out);
      lock.unlock();
      consume(next_out, std::move(node.mapped()));
      lock.lock();
      ++next_out;
      ready.notify_all();
    }
  } catch (...) {
    std::lock_guard<std::mutex> lock(mu);
    if (!error) error = std::current_exception();
    abort = true;
    ready.notify_all();
  }
  for (auto& t : threads) t.join();
  if (error) std::rethrow_exception(error);
}

}  // namespace auris
