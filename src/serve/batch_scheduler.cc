#include "batch_scheduler.h"

#include <chrono>

#include "auris/core/check.h"

namespace auris::serve {

BatchScheduler::BatchScheduler(int num_threads, int max_batch, double batch_wait_ms, Metrics& metrics)
    : max_batch_(static_cast<std::size_t>(max_batch)),
      batch_wait_(std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double, std::milli>(batch_wait_ms))),
      metrics_(metrics),
      queue_(num_threads) {
  AURIS_CHECK(max_batch >= 1 && max_batch <= kMaxBatch) << "max_batch " << max_batch;
  AURIS_CHECK(batch_wait_ms >= 0 && batch_wait_ms <= 1000) << "batch_wait_ms " << batch_wait_ms;
}

BatchScheduler::~BatchScheduler() = default;

void BatchScheduler::Add(std::shared_ptr<BatchJob> job) {
  {
    std::lock_guard lock(mu_);
    waiting_.push_back({std::move(job), Clock::now()});
  }
  arrived_.notify_all();
  // One task per job added: a task finding the jobs taken by another batch
  // returns at once, and no job waits while a worker is free.
  queue_.Push([this] { RunBatch(); });
}

bool BatchScheduler::BatchFull() const {
  const void* key = waiting_.front().job->BatchKey();
  std::size_t n = 0;
  for (const Waiting& w : waiting_) n += w.job->BatchKey() == key;
  return n >= max_batch_;
}

std::size_t BatchScheduler::Take(Jobs& jobs) {
  std::unique_lock lock(mu_);
  // The front may be taken by another worker meanwhile: each wake looks
  // again. Bounded by the oldest job's time, so stopping never hangs.
  while (batch_wait_ > Clock::duration::zero() && !waiting_.empty() && !BatchFull()) {
    const Clock::time_point deadline = waiting_.front().since + batch_wait_;
    if (Clock::now() >= deadline) break;
    arrived_.wait_until(lock, deadline);
  }
  if (waiting_.empty()) return 0;
  std::size_t n = 0;
  jobs[n++] = std::move(waiting_.front().job);
  waiting_.pop_front();
  const void* key = jobs[0]->BatchKey();
  // The first max_batch - 1 others of the same model, oldest first; the rest keep their order.
  auto keep = waiting_.begin();
  for (auto it = waiting_.begin(); it != waiting_.end(); ++it) {
    if (n < max_batch_ && it->job->BatchKey() == key) {
      jobs[n++] = std::move(it->job);
    } else {
      if (keep != it) *keep = std::move(*it);
      ++keep;
    }
  }
  waiting_.erase(keep, waiting_.end());
  return n;
}

void BatchScheduler::RunBatch() {
  Jobs jobs;
  const std::size_t n = Take(jobs);
  if (n == 0) return;
  const auto t0 = std::chrono::steady_clock::now();
  std::array<BatchJob*, kMaxBatch> active;
  std::size_t live = 0;
  for (std::size_t i = 0; i < n; ++i)
    if (jobs[i]->BeginTurn()) active[live++] = jobs[i].get();
  std::array<nn::ModelStream*, kMaxBatch> nets;
  std::array<const float*, kMaxBatch> frames;
  std::int64_t steps = 0, stepped = 0;
  while (live > 0) {
    // Each job up to its next network step; a finished one ends its turn at
    // once (its results go out without waiting for the others').
    std::size_t k = 0;
    for (std::size_t i = 0; i < live; ++i) {
      BatchJob* job = active[i];
      const float* frame = job->AdvanceTurn();
      if (frame == nullptr) {
        job->EndTurn();
        continue;
      }
      active[k] = job;
      nets[k] = &job->TurnNetwork();
      frames[k] = frame;
      ++k;
    }
    live = k;
    if (k == 1) nets[0]->Step(frames[0]);
    else if (k > 1) nn::ModelStream::StepMany({nets.data(), k}, {frames.data(), k});
    steps += k > 0;
    stepped += static_cast<std::int64_t>(k);
  }
  metrics_.Batch(std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count(), steps, stepped);
}

}  // namespace auris::serve
