#include "auris/io/dir_writers.h"

#include <filesystem>

#include "auris/core/error.h"
#include "auris/io/atomic_file.h"
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
}

void DirFeatureWriter::Write(const std::string& uttid, const Matrix& features) {
  if (closed_) throw MakeError(dir_, ": write after Close()");
  CheckKaldiKey(uttid);
  if (!seen_.insert(uttid).second)
    throw MakeError(dir_, ": utterance id '", uttid, "' written twice");
  const std::string file = UttidToFileStem(uttid) + extension_;
  WriteFileAtomically((std::filesystem::path(dir_) / file).string(), Encode(features));
  index_ += uttid + ' ' + file + ' ' + std::to_string(features.rows()) + ' ' +
            std::to_string(features.cols()) + '\n';
}

void DirFeatureWriter::Close() {
  if (closed_) return;
  closed_ = true;
  WriteFileAtomically((std::filesystem::path(dir_) / "index.txt").string(), index_);
}

std::string NpyDirWriter::Encode(const Matrix& features) const { return NpyBytes(features); }

HtkDirWriter::HtkDirWriter(const std::string& dir, const HtkOptions& options)
    : DirFeatureWriter(dir, ".htk"), options_(options) {
  options_.Validate();
}

std::string HtkDirWriter::Encode(const Matrix& features) const { return HtkBytes(features, options_); }

}  // namespace auris::io
