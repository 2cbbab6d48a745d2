// Where a writer's bytes go (internal to io): a file written under a
// temporary name and renamed on Commit (AtomicFile), or stdout ("-").
// Tell() is the byte offset of the next write, for scp offsets.
#pragma once

#include <cstddef>
#include <memory>
#include <string>

#include "auris/io/atomic_file.h"

namespace auris::io::internal {

class OutputStream {
 public:
  explicit OutputStream(const std::string& path);  // "-" = stdout
  void Write(const std::string& bytes);
  std::size_t Tell() const { return written_; }
  void Flush();
  // Flushes and, for files, renames into place. Write errors throw here at the latest.
  void Commit();
  const std::string& Name() const { return name_; }

 private:
  std::string name_;
  std::unique_ptr<AtomicFile> file_;  // null for stdout
  std::size_t written_ = 0;
};

}  // namespace auris::io::internal
