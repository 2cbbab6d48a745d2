// CHECK macros: throw auris::Error naming the failed condition and both values.
//   AURIS_CHECK(cond) << "extra context";   (stream is optional)
//   AURIS_CHECK_EQ(a, b), _NE, _LT, _LE, _GT, _GE
#pragma once

#include <sstream>
#include <string>
#include <tuple>

#include "auris/core/error.h"

namespace auris::internal {

// Collects the message and throws when it goes out of scope at the end of the
// full expression, so `AURIS_CHECK(x) << "more"` works.
class CheckFailure {
 public:
  CheckFailure(const char* file, int line, const std::string& what) {
    os_ << what << " (" << file << ":" << line << ")";
  }
  CheckFailure(const CheckFailure&) = delete;
  CheckFailure& operator=(const CheckFailure&) = delete;
  [[noreturn]] ~CheckFailure() noexcept(false) { throw Error(os_.str()); }
  template <typename T>
  CheckFailure& operator<<(const T& v) {
    if (!has_extra_) {
      os_ << ": ";
      has_extra_ = true;
    }
    os_ << v;
    return *this;
  }

 private:
  std::ostringstream os_;
  bool has_extra_ = false;
};

template <typename A, typename B>
std::string DescribeComparison(const char* expr, const A& a, const B& b) {
  std::ostringstream os;
  os << "check failed: " << expr << " (" << a << " vs " << b << ")";
  return os.str();
}

}  // namespace auris::internal

#define AURIS_CHECK(cond) \
  if (cond) {             \
  } else                  \
    ::auris::internal::CheckFailure(__FILE__, __LINE__, "check failed: " #cond)

#define AURIS_CHECK_OP_(a, b, op)                                                     \
  if (const auto [auris_a_, auris_b_] = std::make_tuple((a), (b)); auris_a_ op auris_b_) { \
  } else                                                                              \
    ::auris::internal::CheckFailure(                                                  \
        __FILE__, __LINE__,                                                           \
        ::auris::internal::DescribeComparison(#a " " #op " " #b, auris_a_, auris_b_))

#define AURIS_CHECK_EQ(a, b) AURIS_CHECK_OP_(a, b, ==)
#define AURIS_CHECK_NE(a, b) AURIS_CHECK_OP_(a, b, !=)
#define AURIS_CHECK_LT(a, b) AURIS_CHECK_OP_(a, b, <)
#define AURIS_CHECK_LE(a, b) AURIS_CHECK_OP_(a, b, <=)
#define AURIS_CHECK_GT(a, b) AURIS_CHECK_OP_(a, b, >)
#define AURIS_CHECK_GE(a, b) AURIS_CHECK_OP_(a, b, >=)
