// Kaldi archive writer: "uttid " + matrix object (kaldi_matrix.h) per
// utterance; with ark,scp also "uttid ARK:OFFSET" lines, OFFSET being the
// byte position of the object (its "\0B" or " [") in the archive, as Kaldi
// writes them. Close() commits the archive before the scp and removes an
// earlier run's scp before replacing the archive, so an scp never points into
// a partial archive or one of another run.
#pragma once

#include <memory>
#include <string>

#include "auris/io/feature_writer.h"
#include "auris/io/kaldi_specifier.h"

namespace auris::io {
namespace internal {
class OutputStream;
}

class KaldiArkWriter : public FeatureWriter {
 public:
  explicit KaldiArkWriter(const KaldiWspecifier& spec);
  explicit KaldiArkWriter(const std::string& wspecifier) : KaldiArkWriter(ParseKaldiWspecifier(wspecifier)) {}
  ~KaldiArkWriter() override;

  void Write(const std::string& uttid, const Matrix& features) override;
  // Double matrices ("DM"), e.g. CMVN statistics.
  void WriteDouble(const std::string& uttid, const MatrixD& m);
  void Close() override;

 private:
  void WriteObject(const std::string& uttid, const std::string& object);
  KaldiWspecifier spec_;
  std::unique_ptr<internal::OutputStream> ark_, scp_;
  bool closed_ = false;
};

// Kaldi keys are non-empty and contain no whitespace; throws otherwise.
void CheckKaldiKey(const std::string& uttid);

}  // namespace auris::io
