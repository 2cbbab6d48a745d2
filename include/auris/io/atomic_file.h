// Output files are written under a temporary name in the same directory and
// renamed into place only when complete, so an interrupted run never leaves a
// corrupt file under the final name.
#pragma once

#include <cstdio>
#include <string>

namespace auris::io {

class AtomicFile {
 public:
  explicit AtomicFile(std::string path);  // opens "<path>.tmp.<pid>"
  ~AtomicFile();                          // removes the temporary if not committed
  AtomicFile(const AtomicFile&) = delete;
  AtomicFile& operator=(const AtomicFile&) = delete;

  void Write(const void* data, std::size_t n);
  void Write(const std::string& s) { Write(s.data(), s.size()); }
  // Bytes written so far (the offset of the next write).
  std::size_t Tell() const { return written_; }
  // Flushes, checks for write errors (e.g. disk full), renames into place.
  void Commit();
  const std::string& Path() const { return path_; }

 private:
  std::string path_;
  std::string tmp_;
  std::FILE* f_ = nullptr;
  std::size_t written_ = 0;
  bool committed_ = false;
};

void WriteFileAtomically(const std::string& path, const std::string& bytes);

}  // namespace auris::io
