// The message of the auris::Error a call throws: lets a test check both the
// file it names and the problem. Any other exception fails the test.
#pragma once

#include <string>

#include "auris/core/error.h"

namespace auris::test {

// What `fn()` throws as an auris::Error; "" if it throws nothing.
template <typename Fn>
std::string ErrorOf(Fn fn) {
  try {
    fn();
  } catch (const Error& e) {
    return e.what();
  }
  return "";
}

}  // namespace auris::test
