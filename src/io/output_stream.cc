#include "io/output_stream.h"

#include <cerrno>
#include <cstdio>
#include <cstring>

#include "auris/core/error.h"

namespace auris::io::internal {

OutputStream::OutputStream(const std::string& path) : name_(path == "-" ? "stdout" : path) {
  if (path != "-") file_ = std::make_unique<AtomicFile>(path);
}

void OutputStream::Write(const std::string& bytes) {
  if (file_) {
    file_->Write(bytes);
  } else if (!bytes.empty() && std::fwrite(bytes.data(), 1, bytes.size(), stdout) != bytes.size()) {
    throw MakeError(name_, ": write failed: ", std::strerror(errno));
  }
  written_ += bytes.size();
}

void OutputStream::Flush() {
  if (!file_ && std::fflush(stdout) != 0) throw MakeError(name_, ": write failed: ", std::strerror(errno));
}

void OutputStream::Sync() {
  if (file_) file_->Sync();
  else Flush();
}

void OutputStream::Commit() {
  if (file_) file_->Commit();
  else Flush();
}

}  // namespace auris::io::internal
