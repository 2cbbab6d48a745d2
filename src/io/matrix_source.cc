#include "io/matrix_source.h"

#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include "auris/core/error.h"
#include "auris/io/kaldi_matrix.h"
#include "auris/io/kaldi_specifier.h"
#include "auris/io/npy.h"

namespace auris::io {
namespace {

// "uttid rest-of-line" lines, skipping blank ones; throws on a key alone.
bool NextKeyedLine(std::istream& in, const std::string& name, int* line_no, std::string* key, std::string* rest) {
  std::string line;
  while (std::getline(in, line)) {
    ++*line_no;
    std::istringstream ss(line);
    if (!(ss >> *key)) continue;
    std::getline(ss >> std::ws, *rest);
    while (!rest->empty() && (rest->back() == ' ' || rest->back() == '\t' || rest->back() == '\r')) rest->pop_back();
    if (rest->empty()) throw MakeError(name, ":", *line_no, ": expected '<uttid> <value>', got '", line, "'");
    return true;
  }
  return false;
}

class ArkSource : public MatrixSource {
 public:
  explicit ArkSource(const std::string& path) : path_(path) {
    if (path == "-") {
      in_ = &std::cin;
      path_ = "stdin";
    } else {
      file_.open(path, std::ios::binary);
      if (!file_) throw MakeError(path, ": cannot open archive");
      in_ = &file_;
    }
  }
  bool Next(std::string* key, std::string* location, MatrixD* value, bool) override {
    std::istream& in = *in_;
    key->clear();
    int c;
    while ((c = in.peek()) == '\n' || c == '\r' || c == '\t' || c == ' ') in.get();
    if (c == EOF) return false;
    while ((c = in.get()) != EOF && c != ' ') {
      if (c == '\n' || c == '\0') throw MakeError(path_, ": malformed archive near key '", *key, "'");
      key->push_back(static_cast<char>(c));
    }
    if (c == EOF) throw MakeError(path_, ": truncated archive after key '", *key, "'");
    const std::streampos pos = in.tellg();
    location->assign(pos == std::streampos(-1) ? "" : path_ + ":" + std::to_string(static_cast<long long>(pos)));
    try {
      *value = ReadKaldiMatrixObject(in, path_);
    } catch (const Error& e) {
      throw MakeError(e.what(), " (key '", *key, "')");
    }
    return true;
  }

 private:
  std::string path_;
  std::ifstream file_;
  std::istream* in_;
};

class ScpSource : public MatrixSource {
 public:
  explicit ScpSource(const std::string& path) : path_(path) {
    if (path == "-") {
      in_ = &std::cin;
      path_ = "stdin";
    } else {
      file_.open(path);
      if (!file_) throw MakeError(path, ": cannot open scp file");
      in_ = &file_;
    }
  }
  bool Next(std::string* key, std::string* location, MatrixD* value, bool want_value) override {
    if (!NextKeyedLine(*in_, path_, &line_, key, location)) return false;
    if (want_value) *value = Read(*location);
    return true;
  }

 private:
  // Keeps the last archive open: scp entries usually run through one file.
  MatrixD Read(const std::string& rx_text) {
    const RxFilename rx = ParseRxFilename(rx_text);
    if (rx.path == "-" || rx.path.back() == '|')
      throw MakeError(path_, ":", line_, ": unsupported scp entry '", rx_text, "'");
    if (rx.path != open_path_) {
      archive_.close();
      archive_.clear();
      archive_.open(rx.path, std::ios::binary);
      open_path_ = rx.path;
      if (!archive_) {
        open_path_.clear();
        throw MakeError(rx.path, ": cannot open (referenced from ", path_, ":", line_, ")");
      }
    }
    archive_.clear();
    archive_.seekg(rx.offset >= 0 ? rx.offset : 0);
    return ReadKaldiMatrixObject(archive_, rx_text);
  }

  std::string path_, open_path_;
  std::ifstream file_, archive_;
  std::istream* in_;
  int line_ = 0;
};

class NpyDirSource : public MatrixSource {
 public:
  explicit NpyDirSource(const std::string& dir) : dir_(dir), index_path_((std::filesystem::path(dir) / "index.txt").string()) {
    index_.open(index_path_);
    if (!index_) throw MakeError(index_path_, ": cannot open npy directory index");
  }
  bool Next(std::string* key, std::string* location, MatrixD* value, bool want_value) override {
    std::string rest;
    if (!NextKeyedLine(index_, index_path_, &line_, key, &rest)) return false;
    std::istringstream ss(rest);
    std::string file;
    long rows = -1, cols = -1;
    if (!(ss >> file >> rows >> cols))
      throw MakeError(index_path_, ":", line_, ": expected '<uttid> <file> <rows> <cols>'");
    *location = (std::filesystem::path(dir_) / file).string();
    if (want_value) {
      *value = ReadNpy(*location).ToMatrixD();
      if (value->rows() != rows || value->cols() != cols)
        throw MakeError(*location, ": shape ", value->rows(), " x ", value->cols(), " differs from ",
                        rows, " x ", cols, " in ", index_path_);
    }
    return true;
  }

 private:
  std::string dir_, index_path_;
  std::ifstream index_;
  int line_ = 0;
};

}  // namespace

std::unique_ptr<MatrixSource> OpenMatrixSource(const std::string& rspecifier) {
  if (rspecifier.rfind("npy:", 0) == 0) return std::make_unique<NpyDirSource>(rspecifier.substr(4));
  const KaldiRspecifier rs = ParseKaldiRspecifier(rspecifier);
  if (rs.kind == KaldiRspecifier::Kind::kArchive) return std::make_unique<ArkSource>(rs.path);
  return std::make_unique<ScpSource>(rs.path);
}

}  // namespace auris::io
