// How the recognition workers of `auris serve` take turns (issue 28): a
// client with queued audio waits in one FIFO; a worker takes the oldest and,
// with it, up to max_batch - 1 more waiting now for the same model, runs
// their audio and steps their networks together (nn::ModelStream::StepMany:
// one pass over the weights for all), each decoder on its own output rows.
// By default nobody waits for a batch to fill: a worker takes what is ready;
// with a batch wait it waits, until max_batch are ready or the oldest has
// waited that long (Triton's max queue delay). Results equal stepping each
// client alone (StepMany equals Step exactly).
#pragma once

#include <array>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <memory>
#include <mutex>

#include "auris/nn/layer.h"
#include "auris/nn/model.h"
#include "auris/serve/metrics.h"
#include "work_queue.h"

namespace auris::serve {

// One client's turn on a worker. Called on that worker only, in the order
// BeginTurn, (AdvanceTurn, step TurnNetwork with its frame)*, AdvanceTurn
// returning nullptr, EndTurn.
class BatchJob {
 public:
  virtual ~BatchJob() = default;
  // Jobs with the same key share one model: their networks step together.
  virtual const void* BatchKey() const = 0;
  // Takes the client's queued input. False: nothing to run, the turn is over
  // already (the client is gone).
  virtual bool BeginTurn() = 0;
  // StreamEngine::Advance; nullptr when the turn's input is done or failed.
  virtual const float* AdvanceTurn() = 0;
  virtual nn::ModelStream& TurnNetwork() = 0;
  // Hands the turn's results on; may Add() the job again.
  virtual void EndTurn() = 0;
};

class BatchScheduler {
 public:
  static constexpr int kMaxBatch = static_cast<int>(nn::Layer::kMaxStepMany);

  // max_batch 1: every client steps alone (the unbatched server).
  // batch_wait_ms: how long the oldest job may wait for a fuller batch.
  BatchScheduler(int num_threads, int max_batch, double batch_wait_ms, Metrics& metrics);
  // Drops waiting jobs, waits for running batches.
  ~BatchScheduler();

  // Thread-safe. The job must not be waiting or running already.
  void Add(std::shared_ptr<BatchJob> job);

 private:
  using Clock = std::chrono::steady_clock;
  using Jobs = std::array<std::shared_ptr<BatchJob>, kMaxBatch>;
  struct Waiting {
    std::shared_ptr<BatchJob> job;
    Clock::time_point since;
  };
  std::size_t Take(Jobs& jobs);  // the oldest waiting job and those it can step with
  bool BatchFull() const;        // max_batch wait with the oldest (mu_ held)
  void RunBatch();               // a worker

  const std::size_t max_batch_;
  const Clock::duration batch_wait_;
  Metrics& metrics_;
  std::mutex mu_;
  std::condition_variable arrived_;
  std::deque<Waiting> waiting_;
  WorkQueue queue_;  // last: its threads stop before the rest goes
};

}  // namespace auris::serve
