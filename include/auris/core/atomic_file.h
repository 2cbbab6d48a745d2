// Durable output files. A file is written under a temporary name in the same
// directory; Commit() flushes it, fsyncs it, renames it into place and fsyncs
// the directory. So after a crash or a power loss the final name holds either
// the complete new content or whatever was there before, never an empty or
// partial file, and a file that Commit() returned from survives a power loss.
// Every failure (a full disk included) throws auris::Error naming the final
// file. An existing path that is not a regular file (/dev/null, /dev/stdout,
// a FIFO) is written in place, unsynced: there is nothing to make durable,
// and a rename would replace the device. Lives in core because both audio
// and io write files (DESIGN.md).
#pragma once

#include <cstdio>
#include <string>

namespace auris {

class AtomicFile {
 public:
  explicit AtomicFile(std::string path);  // opens "<path>.tmp.<pid>" (a device or pipe: path itself)
  ~AtomicFile();                          // removes the temporary if not committed
  AtomicFile(const AtomicFile&) = delete;
  AtomicFile& operator=(const AtomicFile&) = delete;

  void Write(const void* data, std::size_t n);
  void Write(const std::string& s) { Write(s.data(), s.size()); }
  // Bytes written so far (the offset of the next write).
  std::size_t Tell() const { return written_; }
  // Flushes and fsyncs the temporary file; reports a full disk before anything
  // is renamed (writers committing several files sync them all first).
  void Sync();
  // Sync(), rename into place, fsync the directory (unless a writer of many
  // files in one directory syncs it once for all, SyncParentDirectory, before
  // it writes what says they are complete). No writes afterwards.
  enum class Directory { kSync, kLeaveToCaller };
  void Commit(Directory directory = Directory::kSync);
  const std::string& Path() const { return path_; }

 private:
  std::string path_;
  std::string tmp_;
  std::FILE* f_ = nullptr;
  std::size_t written_ = 0;
  bool committed_ = false;
  bool direct_ = false;  // a device or pipe, written in place
};

void WriteFileAtomically(const std::string& path, const std::string& bytes,
                         AtomicFile::Directory directory = AtomicFile::Directory::kSync);

// fsync of the directory holding `path`, making a rename or removal there
// durable. Throws naming `path`.
void SyncParentDirectory(const std::string& path);

// Removes `path` if it exists and makes the removal durable before returning
// (e.g. an index that must not outlive the files it describes).
void RemoveDurably(const std::string& path);

}  // namespace auris
