// Range-checked numbers from JSON. nlohmann's get<int>() and get<float>()
// static_cast whatever number they hold, which is undefined behaviour when a
// corrupt file stores 1e74 where an int belongs; these reject such values.
#pragma once

#include <cmath>
#include <limits>
#include <type_traits>

#include "auris/core/error.h"

namespace auris {

// Returns j as T when it is a number T can hold exactly (integers) or within
// range (floating point); throws auris::Error otherwise. Bools are not numbers.
template <typename T, typename Json>
T JsonNumber(const Json& j) {
  static_assert(std::is_arithmetic_v<T> && !std::is_same_v<T, bool>);
  if constexpr (std::is_integral_v<T>) {
    if (j.is_number_unsigned()) {
      const auto v = j.template get<std::uint64_t>();
      if (v <= static_cast<std::uint64_t>(std::numeric_limits<T>::max())) return static_cast<T>(v);
    } else if (j.is_number_integer()) {
      const auto v = j.template get<std::int64_t>();
      if (v >= static_cast<std::int64_t>(std::numeric_limits<T>::lowest()) &&
          (v < 0 || static_cast<std::uint64_t>(v) <= static_cast<std::uint64_t>(std::numeric_limits<T>::max())))
        return static_cast<T>(v);
    } else {
      throw MakeError("expected an integer, got ", j.dump());
    }
    throw MakeError(j.dump(), " is out of range");
  } else {
    if (!j.is_number()) throw MakeError("expected a number, got ", j.dump());
    const double v = j.template get<double>();
    if (!std::isfinite(v) || std::abs(v) > static_cast<double>(std::numeric_limits<T>::max()))
      throw MakeError(j.dump(), " is out of range");
    return static_cast<T>(v);
  }
}

}  // namespace auris
