#include "auris/io/atomic_file.h"

#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "auris/core/error.h"

namespace auris::io {

AtomicFile::AtomicFile(std::string path)
    : path_(std::move(path)), tmp_(path_ + ".tmp." + std::to_string(getpid())) {
  f_ = std::fopen(tmp_.c_str(), "wb");
  if (f_ == nullptr) throw MakeError(path_, ": cannot create output file: ", std::strerror(errno));
}

AtomicFile::~AtomicFile() {
  if (f_ != nullptr) std::fclose(f_);
  if (!committed_) std::remove(tmp_.c_str());
}

void AtomicFile::Write(const void* data, std::size_t n) {
  if (n == 0) return;
  if (std::fwrite(data, 1, n, f_) != n)
    throw MakeError(path_, ": write failed: ", std::strerror(errno));
  written_ += n;
}

void AtomicFile::Commit() {
  const bool flush_ok = std::fflush(f_) == 0;
  const int flush_errno = errno;
  const bool close_ok = std::fclose(f_) == 0;
  f_ = nullptr;
  if (!flush_ok || !close_ok)
    throw MakeError(path_, ": write failed: ", std::strerror(flush_ok ? errno : flush_errno));
  if (std::rename(tmp_.c_str(), path_.c_str()) != 0)
    throw MakeError(path_, ": cannot rename temporary file into place: ", std::strerror(errno));
  committed_ = true;
}

void WriteFileAtomically(const std::string& path, const std::string& bytes) {
  AtomicFile f(path);
  f.Write(bytes);
  f.Commit();
}

}  // namespace auris::io
