// Writing one feature matrix per utterance, in input order, from one thread.
// Every writer puts its files under temporary names, fsyncs them and renames
// them durably (auris::AtomicFile): destroying a writer without Close() (a
// killed or failed run) leaves no final file that looks complete, and a
// crash or power loss never mixes two runs (see kaldi_ark_writer.h,
// dir_writers.h). Write errors (e.g. disk full) throw auris::Error naming
// the file, at Write() or at the latest at Close().
#pragma once

#include <memory>
#include <string>

#include "auris/core/eigen.h"
#include "auris/io/htk.h"

namespace auris::io {

class FeatureWriter {
 public:
  virtual ~FeatureWriter() = default;
  virtual void Write(const std::string& uttid, const Matrix& features) = 0;
  virtual void Close() = 0;
};

struct FeatureWriterOptions {
  HtkOptions htk;  // used by htk:DIR only
};

// Opens a writer for `spec`:
//   Kaldi wspecifier   ark:feats.ark, ark,t:-, ark,scp:feats.ark,feats.scp, ...
//   npy:DIR            DIR/<uttid>.npy + DIR/index.txt (see npy_dir_writer.h)
//   htk:DIR            DIR/<uttid>.htk (see htk.h; the CLI's --output-format htk)
std::unique_ptr<FeatureWriter> OpenFeatureWriter(const std::string& spec,
                                                 const FeatureWriterOptions& options = {});

// A file name for an utterance id inside an output directory: the id itself,
// with '/', '%', control characters and a leading '.' percent-encoded
// (utt/1 -> utt%2F1), so any Kaldi key maps to one distinct file.
std::string UttidToFileStem(const std::string& uttid);

}  // namespace auris::io
