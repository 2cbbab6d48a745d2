#include "live_display.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "closed_pipe.h"

namespace auris::cli {

double LevelDb(const float* x, std::size_t n) {
  double e = 0;
  for (std::size_t i = 0; i < n; ++i) e += static_cast<double>(x[i]) * x[i];
  const double rms = n ? std::sqrt(e / static_cast<double>(n)) / 32768.0 : 0;
  return std::max(-90.0, 20 * std::log10(std::max(rms, 1e-12)));
}

void LiveDisplay::Status(const std::string& text, double t, const nlohmann::json& extra) {
  if (json_) {
    nlohmann::json j = {{"type", "status"}, {"text", text}, {"end", t}};
    if (extra.is_object()) j.update(extra);
    Emit(j);
  } else {
    std::fprintf(stderr, "%s%s\n", tty_ ? "\r\033[K" : "", text.c_str());
  }
}

void LiveDisplay::Emit(const nlohmann::json& j) {
  std::printf("%s\n", j.dump().c_str());
  std::fflush(stdout);
  CheckStdout();
}

void LiveDisplay::Scroll(const std::string& line) {
  if (tty_) std::fprintf(stderr, "\r\033[K");  // clear the live line first
  std::printf("%s\n", line.c_str());
  std::fflush(stdout);
  CheckStdout();
}

void LiveDisplay::Meter(double level_db, const std::string& text) {
  if (json_ || !tty_) return;
  const int bars = static_cast<int>(std::lround((level_db + 60) / 3));  // -60..0 dB -> 0..20
  std::string meter(static_cast<std::size_t>(std::clamp(bars, 0, 20)), '#');
  meter.resize(20, ' ');
  std::fprintf(stderr, "\r\033[K[%s] %5.1f dB  %s", meter.c_str(), level_db, text.c_str());
  std::fflush(stderr);
}

}  // namespace auris::cli
