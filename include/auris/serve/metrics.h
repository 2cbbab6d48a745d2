// Operator figures of `auris serve` (GET /metrics, Prometheus text format):
// streams, audio processed, real-time factor, dropped audio, network steps
// and the frames they stepped together, latency from
// audio arriving to its results being ready (p50 / p95 over the last
// kLatencyWindow batches). Thread-safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <mutex>
#include <string>
#include <vector>

namespace auris::serve {

class Metrics {
 public:
  static constexpr std::size_t kLatencyWindow = 4096;

  void StreamOpened();
  void StreamClosed();
  void ClientRejected();           // over --max-clients
  void ClientError();              // a client got an error event or was dropped
  void SlowConsumer();             // dropped because it stopped reading
  void DroppedFrames(std::int64_t n);  // binary audio messages never processed
  // One client's turn on a worker: the audio seconds it covered and the time
  // from its newest audio arriving to its results being ready (latency_s < 0:
  // not measured, the turn took only part of the queued audio).
  void Turn(double audio_s, double latency_s);
  // One worker batch (several clients' turns): its wall time, its network
  // steps (Step or StepMany calls) and the frames they stepped (frames /
  // steps: the mean batch size).
  void Batch(double compute_s, std::int64_t steps, std::int64_t frames);

  int ActiveStreams() const;
  std::string Prometheus() const;

 private:
  mutable std::mutex mu_;
  int active_ = 0;
  std::int64_t streams_ = 0, rejected_ = 0, errors_ = 0, slow_ = 0, dropped_ = 0, steps_ = 0, frames_ = 0;
  double audio_s_ = 0, compute_s_ = 0;
  std::vector<double> latency_;  // ring of the last kLatencyWindow
  std::size_t latency_next_ = 0;
};

}  // namespace auris::serve
