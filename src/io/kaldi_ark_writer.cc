#include "auris/io/kaldi_ark_writer.h"

#include "auris/core/atomic_file.h"
#include "auris/core/error.h"
#include "auris/io/kaldi_matrix.h"
#include "io/output_stream.h"

namespace auris::io {

void CheckKaldiKey(const std::string& uttid) {
  if (uttid.empty()) throw MakeError("empty utterance id");
  for (char c : uttid)
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f')
      throw MakeError("utterance id '", uttid, "' contains whitespace (invalid as a Kaldi key)");
}

KaldiArkWriter::KaldiArkWriter(const KaldiWspecifier& spec) : spec_(spec) {
  ark_ = std::make_unique<internal::OutputStream>(spec_.ark_path);
  if (!spec_.scp_path.empty()) scp_ = std::make_unique<internal::OutputStream>(spec_.scp_path);
}

KaldiArkWriter::~KaldiArkWriter() = default;

void KaldiArkWriter::WriteObject(const std::string& uttid, const std::string& object) {
  if (closed_) throw MakeError(ark_->Name(), ": write after Close()");
  CheckKaldiKey(uttid);
  ark_->Write(uttid + ' ');
  const std::size_t offset = ark_->Tell();
  ark_->Write(object);
  if (scp_) scp_->Write(uttid + ' ' + spec_.ark_path + ':' + std::to_string(offset) + '\n');
  if (spec_.flush) {
    ark_->Flush();
    if (scp_) scp_->Flush();
  }
}

void KaldiArkWriter::Write(const std::string& uttid, const Matrix& features) {
  std::string object;
  AppendKaldiMatrix(features, spec_.binary, &object);
  WriteObject(uttid, object);
}

void KaldiArkWriter::WriteDouble(const std::string& uttid, const MatrixD& m) {
  std::string object;
  AppendKaldiMatrix(m, spec_.binary, &object);
  WriteObject(uttid, object);
}

void KaldiArkWriter::Close() {
  if (closed_) return;
  closed_ = true;
  // An scp must only ever exist beside the archive it indexes. Both are
  // synced first (a full disk fails before anything is renamed); an scp of an
  // earlier run is removed before the new archive replaces its archive; the
  // new scp comes last. A crash at any point leaves the old pair, the old
  // archive alone, the new archive alone, or the new pair.
  ark_->Sync();
  if (scp_) {
    scp_->Sync();
    if (spec_.scp_path != "-") RemoveDurably(spec_.scp_path);
  }
  ark_->Commit();
  if (scp_) scp_->Commit();
}

}  // namespace auris::io
