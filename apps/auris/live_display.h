// Output of `auris live`: JSON lines on stdout (--json), or on a terminal a
// one-line live display on stderr (input level meter and a short text:
// the partial transcript or the current best keyword) with events scrolling
// above it on stdout; status lines go to stderr.
#pragma once

#include <cstddef>
#include <string>

#include <nlohmann/json.hpp>

namespace auris::cli {

// Level of a chunk in dB relative to int16 full scale (-90 for silence).
double LevelDb(const float* x, std::size_t n);

class LiveDisplay {
 public:
  LiveDisplay(bool json, bool tty) : json_(json), tty_(tty) {}
  bool IsJson() const { return json_; }

  // {"type": "status", "text", "end": t, ...extra} or a line on stderr.
  void Status(const std::string& text, double t, const nlohmann::json& extra = {});
  // One JSON line on stdout (flushed).
  void Emit(const nlohmann::json& j);
  // One JSON line already rendered as text (pipeline/live_json.h).
  void EmitText(const std::string& json_text);
  // An event line on stdout (without --json), above the live line.
  void Scroll(const std::string& line);
  // On a terminal without --json: redraws the live line.
  void Meter(double level_db, const std::string& text);

 private:
  bool json_, tty_;
};

}  // namespace auris::cli
