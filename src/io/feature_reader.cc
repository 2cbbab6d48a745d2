#include "auris/io/feature_reader.h"

#include <algorithm>

#include "auris/core/error.h"
#include "auris/io/kaldi_matrix.h"
#include "auris/io/kaldi_specifier.h"
#include "auris/io/npy.h"
#include "io/matrix_source.h"

namespace auris::io {

SequentialMatrixReader::SequentialMatrixReader(const std::string& rspecifier)
    : source_(OpenMatrixSource(rspecifier)) {
  Next();
}

SequentialMatrixReader::~SequentialMatrixReader() = default;

void SequentialMatrixReader::Next() {
  if (done_) return;
  std::string location;
  MatrixD value;
  if (!source_->Next(&key_, &location, &value, true)) {
    done_ = true;
    key_.clear();
    value_.resize(0, 0);
    return;
  }
  value_ = value.cast<float>();
}

struct RandomAccessMatrixReader::Entry {
  std::string location;  // rxfilename or .npy path; empty when `value` holds the data
  MatrixD value;
};

RandomAccessMatrixReader::RandomAccessMatrixReader(const std::string& rspecifier)
    : rspecifier_(rspecifier), entries_(std::make_unique<std::vector<Entry>>()) {
  auto source = OpenMatrixSource(rspecifier);
  // Archives must be parsed to be skipped; scp and npy indexes need not be.
  const bool is_ark = rspecifier.rfind("npy:", 0) != 0 &&
                      ParseKaldiRspecifier(rspecifier).kind == KaldiRspecifier::Kind::kArchive;
  std::string key, location;
  MatrixD value;
  while (source->Next(&key, &location, &value, is_ark)) {
    Entry e;
    e.location = location;
    if (is_ark && location.empty()) e.value = std::move(value);  // stdin: keep in memory
    keys_.push_back(key);
    entries_->push_back(std::move(e));
  }
  sorted_.resize(keys_.size());
  for (std::size_t i = 0; i < sorted_.size(); ++i) sorted_[i] = i;
  std::stable_sort(sorted_.begin(), sorted_.end(), [this](std::size_t a, std::size_t b) { return keys_[a] < keys_[b]; });
  for (std::size_t i = 1; i < sorted_.size(); ++i)
    if (keys_[sorted_[i]] == keys_[sorted_[i - 1]])
      throw MakeError(rspecifier_, ": duplicate key '", keys_[sorted_[i]], "'");
}

RandomAccessMatrixReader::~RandomAccessMatrixReader() = default;

long RandomAccessMatrixReader::Find(const std::string& key) const {
  const auto it = std::lower_bound(sorted_.begin(), sorted_.end(), key,
                                   [this](std::size_t i, const std::string& k) { return keys_[i] < k; });
  if (it == sorted_.end() || keys_[*it] != key) return -1;
  return static_cast<long>(*it);
}

bool RandomAccessMatrixReader::HasKey(const std::string& key) const { return Find(key) >= 0; }

Matrix RandomAccessMatrixReader::Value(const std::string& key) const {
  const long i = Find(key);
  if (i < 0) throw MakeError(rspecifier_, ": no entry for key '", key, "'");
  const Entry& e = (*entries_)[static_cast<std::size_t>(i)];
  if (e.location.empty()) return e.value.cast<float>();
  if (rspecifier_.rfind("npy:", 0) == 0) return ReadNpy(e.location).ToMatrix();
  return ReadKaldiMatrix(e.location);
}

}  // namespace auris::io
