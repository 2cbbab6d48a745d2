// Where a writer's bytes go (internal to io): a file written under a
// temporary name and renamed on Commit (auris::AtomicFile), or stdout ("-").
// Tell() is the byte offset of the next write, for scp offsets.
#pragma once

#include <cstddef>
#include <memory>
#include <string>

#include "auris/core/atomic_file.h"

namespace auris::io::internal {

class OutputStream {
 public:
  explicit OutputStream(const std::string& path);  // "-" = stdout
  void Write(const std::string& bytes);
  std::size_t Tell() const { return written_; }
  void Flush();
  // Flushes and, for files, fsyncs: a full disk shows here, before any rename.
  void Sync();
  // Sync() and, for files, renames into place durably (AtomicFile::Commit).
  void Commit();
  const std::string& Name() const { return name_; }

 private:
  std::string name_;
  std::unique_ptr<AtomicFile> file_;  // null for stdout
  std::size_t written_ = 0;
};

}  // namespace auris::io::internal
