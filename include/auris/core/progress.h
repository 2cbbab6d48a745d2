// Progress reporting for long jobs. Library code reports counts through a
// Progress object; the CLI decides where (and whether) it is drawn. The
// terminal renderer redraws one line at most every `interval` seconds.
#pragma once

#include <chrono>
#include <cstdio>
#include <mutex>
#include <string>

namespace auris {

class Progress {
 public:
  // total: number of items; Advance(amount) adds seconds of audio.
  // out == nullptr disables drawing (counts are still kept).
  Progress(std::size_t total, std::FILE* out, double interval_seconds = 0.5);

  // Thread-safe: one more item done, with `amount` of work (e.g. audio seconds).
  void Advance(double amount = 0, bool failed = false);
  // Erases the live line (if drawn) so a summary can be printed.
  void Finish();

  std::size_t Done() const;
  std::size_t Failed() const;
  double ElapsedSeconds() const;

  // "1:02:03" style.
  static std::string FormatDuration(double seconds);

 private:
  void Draw();

  mutable std::mutex mu_;
  std::size_t total_;
  std::size_t done_ = 0;
  std::size_t failed_ = 0;
  double amount_ = 0;
  std::FILE* out_;
  double interval_;
  std::chrono::steady_clock::time_point start_;
  std::chrono::steady_clock::time_point last_draw_;
  bool drawn_ = false;
};

// True when the stream is a terminal (progress bars are drawn only there).
bool IsTerminal(std::FILE* f);

}  // namespace auris
