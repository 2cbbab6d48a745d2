#include "auris/serve/metrics.h"

#include <algorithm>
#include <cstdio>

namespace auris::serve {
namespace {

double Quantile(std::vector<double> v, double q) {
  if (v.empty()) return 0;
  const auto k = static_cast<std::size_t>(q * static_cast<double>(v.size() - 1) + 0.5);
  std::nth_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(k), v.end());
  return v[k];
}

}  // namespace

void Metrics::StreamOpened() {
  std::lock_guard lock(mu_);
  ++active_;
  ++streams_;
}
void Metrics::StreamClosed() {
  std::lock_guard lock(mu_);
  --active_;
}
void Metrics::ClientRejected() {
  std::lock_guard lock(mu_);
  ++rejected_;
}
void Metrics::ClientError() {
  std::lock_guard lock(mu_);
  ++errors_;
}
void Metrics::SlowConsumer() {
  std::lock_guard lock(mu_);
  ++slow_;
}
void Metrics::DroppedFrames(std::int64_t n) {
  std::lock_guard lock(mu_);
  dropped_ += n;
}

void Metrics::Batch(double compute_s, std::int64_t steps, std::int64_t frames) {
  std::lock_guard lock(mu_);
  compute_s_ += compute_s;
  steps_ += steps;
  frames_ += frames;
}

void Metrics::Turn(double audio_s, double latency_s) {
  std::lock_guard lock(mu_);
  audio_s_ += audio_s;
  if (latency_s < 0) return;
  if (latency_.size() < kLatencyWindow) latency_.push_back(latency_s);
  else latency_[latency_next_] = latency_s;
  latency_next_ = (latency_next_ + 1) % kLatencyWindow;
}

int Metrics::ActiveStreams() const {
  std::lock_guard lock(mu_);
  return active_;
}

std::string Metrics::Prometheus() const {
  std::lock_guard lock(mu_);
  char buf[1024];
  std::snprintf(buf, sizeof buf,
                "auris_active_streams %d\n"
                "auris_streams_total %lld\n"
                "auris_rejected_clients_total %lld\n"
                "auris_client_errors_total %lld\n"
                "auris_slow_consumers_total %lld\n"
                "auris_dropped_frames_total %lld\n"
                "auris_audio_seconds_total %.3f\n"
                "auris_compute_seconds_total %.3f\n"
                "auris_rtf %.5f\n"
                "auris_network_steps_total %lld\n"
                "auris_network_frames_total %lld\n"
                "auris_latency_seconds{quantile=\"0.5\"} %.5f\n"
                "auris_latency_seconds{quantile=\"0.95\"} %.5f\n",
                active_, static_cast<long long>(streams_), static_cast<long long>(rejected_),
                static_cast<long long>(errors_), static_cast<long long>(slow_), static_cast<long long>(dropped_),
                audio_s_, compute_s_, audio_s_ > 0 ? compute_s_ / audio_s_ : 0.0,
                static_cast<long long>(steps_), static_cast<long long>(frames_), Quantile(latency_, 0.5),
                Quantile(latency_, 0.95));
  return buf;
}

}  // namespace auris::serve
