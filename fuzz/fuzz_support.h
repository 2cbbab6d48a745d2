// Helpers shared by the libFuzzer targets in this directory.
#pragma once

#include <unistd.h>

#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <string>

#include "auris/core/eigen.h"

namespace auris::fuzz {

// The parsers that take a path read the input from this file, in a private
// directory removed at exit (per process: libFuzzer's -jobs run several).
inline std::string WriteInput(const std::uint8_t* data, std::size_t size, const std::string& name = "input") {
  // Never destroyed: the exit handler still needs it.
  static const std::filesystem::path* dir = [] {
    auto* d = new std::filesystem::path(std::filesystem::temp_directory_path() /
                                        ("auris-fuzz-" + std::to_string(::getpid())));
    std::filesystem::create_directories(*d);
    std::atexit([] { std::filesystem::remove_all(*dir); });
    return d;
  }();
  const std::string path = (*dir / name).string();
  std::ofstream(path, std::ios::binary | std::ios::trunc).write(reinterpret_cast<const char*>(data),
                                                               static_cast<std::streamsize>(size));
  return path;
}

// Same values bit for bit (NaN payloads included).
template <typename A, typename B>
bool SameBits(const A& a, const B& b) {
  return a.rows() == b.rows() && a.cols() == b.cols() &&
         (a.size() == 0 || std::memcmp(a.data(), b.data(), sizeof(typename A::Scalar) * a.size()) == 0);
}

// A failed property of a parsed input: abort, so libFuzzer keeps the input.
inline void Require(bool ok) {
  if (!ok) std::abort();
}

}  // namespace auris::fuzz
