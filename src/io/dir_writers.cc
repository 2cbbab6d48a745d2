#include "auris/io/dir_writers.h"

#include <filesystem>

#include "auris/core/atomic_file.h"
#include "auris/core/error.h"
#include "auris/io/kaldi_ark_writer.h"
#include "auris/io/npy.h"

namespace auris::io {

DirFeatureWriter::DirFeatureWriter(std::string dir, std::string extension)
    : dir_(std::move(dir)), extension_(std::move(extension)) {
  if (dir_.empty()) throw MakeError("empty output directory name");
  std::error_code ec;
  std::filesystem::create_directories(dir_, ec);
  if (ec || !std::filesystem::is_directory(dir_))
    throw MakeError(dir_, ": cannot create output directory", ec ? ": " + ec.message() : "");
  // The index of an earlier run goes before any of its files is replaced: an
  // index only ever describes the files of a run that completed.
  RemoveDurably(IndexPath());
}

std::string DirFeatureWriter::IndexPath() const { return (std::filesystem::path(dir_) / "index.txt").string(); }

void DirFeatureWriter::Write(const std::string& uttid, const Matrix& features) {
  if (closed_) throw MakeError(dir_, ": write after Close()");
  CheckKaldiKey(uttid);
  if (!seen_.insert(uttid).second)
    throw MakeError(dir_, ": utterance id '", uttid, "' written twice");
  const std::string file = UttidToFileStem(uttid) + extension_;
  // One directory fsync in Close() makes all the renames durable at once.
  WriteFileAtomically((std::filesystem::path(dir_) / file).string(), Encode(features),
                      AtomicFile::Directory::kLeaveToCaller);
  index_ += uttid + ' ' + file + ' ' + std::to_string(features.rows()) + ' ' +
            std::to_string(features.cols()) + '\n';
}

void DirFeatureWriter::Close() {
  if (closed_) return;
  closed_ = true;
  SyncParentDirectory(IndexPath());
  WriteFileAtomically(IndexPath(), index_);
}

std::string NpyDirWriter::Encode(const Matrix& features) const { return NpyBytes(features); }

HtkDirWriter::HtkDirWriter(const std::string& dir, const HtkOptions& options)
    : DirFeatureWriter(dir, ".htk"), options_(options) {
  options_.Validate();
}

std::string HtkDirWriter::Encode(const Matrix& features) const { return HtkBytes(features, options_); }

}  // namespace auris::io
