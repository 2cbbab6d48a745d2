#include "auris/core/progress.h"

#include <unistd.h>

#include <cmath>

namespace auris {

bool IsTerminal(std::FILE* f) { return f != nullptr && isatty(fileno(f)); }

Progress::Progress(std::size_t total, std::FILE* out, double interval_seconds)
    : total_(total), out_(out), interval_(interval_seconds),
      start_(std::chrono::steady_clock::now()), last_draw_(start_) {}

std::string Progress::FormatDuration(double seconds) {
  if (!std::isfinite(seconds) || seconds < 0) return "?";
  const long s = std::lround(seconds);
  char buf[32];
  if (s >= 3600) {
    std::snprintf(buf, sizeof buf, "%ld:%02ld:%02ld", s / 3600, (s / 60) % 60, s % 60);
  } else {
    std::snprintf(buf, sizeof buf, "%ld:%02ld", s / 60, s % 60);
  }
  return buf;
}

void Progress::Advance(double amount, bool failed) {
  std::lock_guard<std::mutex> lock(mu_);
  ++done_;
  if (failed) ++failed_;
  amount_ += amount;
  const auto now = std::chrono::steady_clock::now();
  if (out_ != nullptr &&
      (std::chrono::duration<double>(now - last_draw_).count() >= interval_ || done_ == total_)) {
    last_draw_ = now;
    Draw();
  }
}

void Progress::Draw() {
  const double elapsed = std::chrono::duration<double>(last_draw_ - start_).count();
  const double rate = elapsed > 0 ? done_ / elapsed : 0;
  const double eta = rate > 0 ? (total_ - done_) / rate : NAN;
  const double hours_per_s = elapsed > 0 ? amount_ / 3600.0 / elapsed : 0;
  std::fprintf(out_, "\r%zu/%zu files (%zu failed), %.3f h audio/s, elapsed %s, ETA %s   ",
               done_, total_, failed_, hours_per_s, FormatDuration(elapsed).c_str(),
               FormatDuration(eta).c_str());
  std::fflush(out_);
  drawn_ = true;
}

void Progress::Finish() {
  std::lock_guard<std::mutex> lock(mu_);
  if (drawn_ && out_ != nullptr) {
    std::fprintf(out_, "\r\033[K");
    std::fflush(out_);
  }
  drawn_ = false;
}

std::size_t Progress::Done() const {
  std::lock_guard<std::mutex> lock(mu_);
  return done_;
}
std::size_t Progress::Failed() const {
  std::lock_guard<std::mutex> lock(mu_);
  return failed_;
}
double Progress::ElapsedSeconds() const {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
}

}  // namespace auris
