// auris::Error — the one exception type library code throws. It carries the
// full context (file, option, expected vs actual) in its message; callers at
// the CLI print what() as one line.
#pragma once

#include <sstream>
#include <stdexcept>
#include <string>
#include <utility>

namespace auris {

class Error : public std::runtime_error {
 public:
  explicit Error(const std::string& message) : std::runtime_error(message) {}
};

// Error("cannot open ", path, ": ", reason) — concatenates with operator<<.
template <typename... Args>
[[nodiscard]] Error MakeError(Args&&... args) {
  std::ostringstream os;
  (os << ... << std::forward<Args>(args));
  return Error(os.str());
}

// Prefixes an error with context ("utt1: ..."), keeping the type.
inline Error WithContext(const std::string& context, const std::exception& e) {
  return Error(context + ": " + e.what());
}

}  // namespace auris
