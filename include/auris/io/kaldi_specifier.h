// Kaldi table specifiers (util/kaldi-table.h semantics):
//   wspecifier: "ark[,opts]:ARK", "ark,scp[,opts]:ARK,SCP"; opts b (binary,
//               default), t (text), f / nf (flush after each object; stdout
//               only, files are committed whole on Close), p (permissive). "ark:-"
//               writes to stdout. Like Kaldi, "scp,ark" is rejected.
//               (A bare "scp:" wspecifier — writing to the files an scp names —
//               is not supported.)
//   rspecifier: "ark[,opts]:ARK" or "scp[,opts]:SCP"; opts o/no, p/np, s/ns,
//               cs/ncs, bg are accepted; b and t are ignored (binary vs text is
//               detected per object, as in Kaldi). "-" is stdin.
#pragma once

#include <string>

namespace auris::io {

struct KaldiWspecifier {
  std::string ark_path;  // "-" = stdout
  std::string scp_path;  // empty: no scp
  bool binary = true;
  bool flush = false;
  bool permissive = false;
};

struct KaldiRspecifier {
  enum class Kind { kArchive, kScript };
  Kind kind = Kind::kArchive;
  std::string path;  // "-" = stdin
  bool once = false, permissive = false, sorted = false, called_sorted = false, background = false;
};

// Throw auris::Error naming the specifier and the offending part.
KaldiWspecifier ParseKaldiWspecifier(const std::string& wspecifier);
KaldiRspecifier ParseKaldiRspecifier(const std::string& rspecifier);

// True if `spec` starts like a Kaldi table specifier ("ark", "scp" with options).
bool LooksLikeKaldiSpecifier(const std::string& spec);

}  // namespace auris::io
