// Feature writers that put one file per utterance in a directory (created if
// missing):
//   NpyDirWriter  DIR/<stem>.npy  float32 C-order array, shape (frames, dim)
//   HtkDirWriter  DIR/<stem>.htk  see htk.h
// <stem> is UttidToFileStem(uttid). Each file is written under a temporary
// name, fsynced and renamed when complete. An index.txt of an earlier run is
// removed when the writer opens; Close() writes the new DIR/index.txt last, one
// line per utterance in write order (so an index.txt means a complete run):
//   <uttid> <file name relative to DIR> <rows> <cols>
// A repeated utterance id is an error (it would overwrite a file).
#pragma once

#include <set>
#include <string>
#include <vector>

#include "auris/io/feature_writer.h"
#include "auris/io/htk.h"

namespace auris::io {

class DirFeatureWriter : public FeatureWriter {
 public:
  void Write(const std::string& uttid, const Matrix& features) override;
  void Close() override;
  const std::string& Dir() const { return dir_; }

 protected:
  DirFeatureWriter(std::string dir, std::string extension);
  virtual std::string Encode(const Matrix& features) const = 0;

 private:
  std::string IndexPath() const;
  std::string dir_, extension_;
  std::set<std::string> seen_;
  std::string index_;
  bool closed_ = false;
};

class NpyDirWriter : public DirFeatureWriter {
 public:
  explicit NpyDirWriter(const std::string& dir) : DirFeatureWriter(dir, ".npy") {}

 private:
  std::string Encode(const Matrix& features) const override;
};

class HtkDirWriter : public DirFeatureWriter {
 public:
  HtkDirWriter(const std::string& dir, const HtkOptions& options);

 private:
  std::string Encode(const Matrix& features) const override;
  HtkOptions options_;
};

}  // namespace auris::io
