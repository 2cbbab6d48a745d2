// Reading feature matrices back, by rspecifier:
//   ark:FILE / ark:-   a Kaldi archive (binary or text objects, FM or DM)
//   scp:FILE           "uttid rxfilename" lines, rxfilename = ark:offset or a matrix file
//   npy:DIR            DIR/index.txt written by NpyDirWriter (dir_writers.h)
// Kaldi's rspecifier options (o, p, s, cs, bg, b, t) are accepted; values are
// converted to float.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "auris/core/eigen.h"

namespace auris::io {

class MatrixSource;  // internal

class SequentialMatrixReader {
 public:
  explicit SequentialMatrixReader(const std::string& rspecifier);
  ~SequentialMatrixReader();
  SequentialMatrixReader(const SequentialMatrixReader&) = delete;
  SequentialMatrixReader& operator=(const SequentialMatrixReader&) = delete;

  bool Done() const { return done_; }
  void Next();
  const std::string& Key() const { return key_; }
  const Matrix& Value() const { return value_; }

 private:
  std::unique_ptr<MatrixSource> source_;
  std::string key_;
  Matrix value_;
  bool done_ = false;
};

class RandomAccessMatrixReader {
 public:
  explicit RandomAccessMatrixReader(const std::string& rspecifier);
  ~RandomAccessMatrixReader();

  bool HasKey(const std::string& key) const;
  // Throws auris::Error naming the key and the rspecifier if absent.
  Matrix Value(const std::string& key) const;
  // All keys, in file order.
  const std::vector<std::string>& Keys() const { return keys_; }

 private:
  struct Entry;
  std::string rspecifier_;
  std::vector<std::string> keys_;
  std::unique_ptr<std::vector<Entry>> entries_;  // parallel to keys_
  std::vector<std::size_t> sorted_;              // indices sorted by key
  long Find(const std::string& key) const;
};

}  // namespace auris::io
