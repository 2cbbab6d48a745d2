#include "auris/core/atomic_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

#include "auris/core/error.h"

namespace auris {
namespace {

[[noreturn]] void ThrowWriteError(const std::string& path, int err) {
  throw MakeError(path, ": write failed: ", std::strerror(err));
}

}  // namespace

AtomicFile::AtomicFile(std::string path) : path_(std::move(path)) {
  // A device or pipe (/dev/null, /dev/stdout, a FIFO) is written in place:
  // renaming a file over it would replace /dev/null with a regular file.
  struct stat st;
  direct_ = stat(path_.c_str(), &st) == 0 && !S_ISREG(st.st_mode);
  tmp_ = direct_ ? path_ : path_ + ".tmp." + std::to_string(getpid());
  f_ = std::fopen(tmp_.c_str(), "wb");
  if (f_ == nullptr) throw MakeError(path_, ": cannot create output file: ", std::strerror(errno));
}

AtomicFile::~AtomicFile() {
  if (f_ != nullptr) std::fclose(f_);
  if (!committed_ && !direct_) std::remove(tmp_.c_str());
}

void AtomicFile::Write(const void* data, std::size_t n) {
  if (n == 0) return;
  if (f_ == nullptr) throw MakeError(path_, ": write after Commit()");
  if (std::fwrite(data, 1, n, f_) != n) ThrowWriteError(path_, errno);
  written_ += n;
}

void AtomicFile::Sync() {
  if (f_ == nullptr) throw MakeError(path_, ": Sync() after Commit()");
  // Delayed allocation reports ENOSPC only here, at fflush or fsync.
  if (std::fflush(f_) != 0) ThrowWriteError(path_, errno);
  if (!direct_ && fsync(fileno(f_)) != 0) ThrowWriteError(path_, errno);  // devices and pipes cannot sync
}

void AtomicFile::Commit(Directory directory) {
  Sync();
  const bool closed = std::fclose(f_) == 0;
  f_ = nullptr;
  if (!closed) ThrowWriteError(path_, errno);
  if (direct_) {
    committed_ = true;
    return;
  }
  if (std::rename(tmp_.c_str(), path_.c_str()) != 0)
    throw MakeError(path_, ": cannot rename temporary file into place: ", std::strerror(errno));
  committed_ = true;
  if (directory == Directory::kSync) SyncParentDirectory(path_);
}

void WriteFileAtomically(const std::string& path, const std::string& bytes, AtomicFile::Directory directory) {
  AtomicFile f(path);
  f.Write(bytes);
  f.Commit(directory);
}

void SyncParentDirectory(const std::string& path) {
  std::string dir = std::filesystem::path(path).parent_path().string();
  if (dir.empty()) dir = ".";
  const int fd = open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) throw MakeError(path, ": cannot open its directory to sync it: ", std::strerror(errno));
  const bool synced = fsync(fd) == 0;
  const int err = errno;
  close(fd);
  if (!synced) throw MakeError(path, ": cannot sync its directory: ", std::strerror(err));
}

void RemoveDurably(const std::string& path) {
  if (unlink(path.c_str()) != 0) {
    if (errno == ENOENT) return;
    throw MakeError(path, ": cannot remove: ", std::strerror(errno));
  }
  SyncParentDirectory(path);
}

}  // namespace auris
