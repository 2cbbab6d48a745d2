#include "auris/io/kaldi_specifier.h"

#include <vector>

#include "auris/core/error.h"

namespace auris::io {
namespace {

std::vector<std::string> Split(const std::string& s, char sep) {
  std::vector<std::string> parts;
  std::size_t start = 0;
  while (true) {
    const auto pos = s.find(sep, start);
    parts.push_back(s.substr(start, pos - start));
    if (pos == std::string::npos) return parts;
    start = pos + 1;
  }
}

std::string Trim(const std::string& s) {
  const auto a = s.find_first_not_of(" \t");
  if (a == std::string::npos) return "";
  return s.substr(a, s.find_last_not_of(" \t") - a + 1);
}

}  // namespace

bool LooksLikeKaldiSpecifier(const std::string& spec) {
  const auto colon = spec.find(':');
  if (colon == std::string::npos) return false;
  for (const std::string& opt : Split(spec.substr(0, colon), ','))
    if (opt == "ark" || opt == "scp") return true;
  return false;
}

KaldiWspecifier ParseKaldiWspecifier(const std::string& ws) {
  const auto colon = ws.find(':');
  if (colon == std::string::npos)
    throw MakeError("invalid wspecifier '", ws, "': expected e.g. ark:feats.ark or ark,scp:feats.ark,feats.scp");
  KaldiWspecifier out;
  bool ark = false, scp = false;
  for (const std::string& raw : Split(ws.substr(0, colon), ',')) {
    const std::string opt = Trim(raw);
    if (opt == "b") out.binary = true;
    else if (opt == "t") out.binary = false;
    else if (opt == "f") out.flush = true;
    else if (opt == "nf") out.flush = false;
    else if (opt == "p") out.permissive = true;
    else if (opt == "ark") {
      if (ark || scp) throw MakeError("invalid wspecifier '", ws, "': use ark,scp (not scp,ark) and name each once");
      ark = true;
    } else if (opt == "scp") {
      if (scp) throw MakeError("invalid wspecifier '", ws, "': scp given twice");
      scp = true;
    } else {
      throw MakeError("invalid wspecifier '", ws, "': unknown option '", opt, "'");
    }
  }
  const std::string rest = Trim(ws.substr(colon + 1));
  if (!ark) throw MakeError("unsupported wspecifier '", ws, "': auris writes archives (ark:... or ark,scp:...)");
  if (scp) {
    const auto parts = Split(rest, ',');
    if (parts.size() != 2 || Trim(parts[0]).empty() || Trim(parts[1]).empty())
      throw MakeError("invalid wspecifier '", ws, "': ark,scp needs two file names, e.g. ark,scp:feats.ark,feats.scp");
    out.ark_path = Trim(parts[0]);
    out.scp_path = Trim(parts[1]);
    if (out.scp_path == "-" && out.ark_path == "-")
      throw MakeError("invalid wspecifier '", ws, "': archive and scp cannot both go to stdout");
  } else {
    out.ark_path = rest;
  }
  if (out.ark_path.empty()) throw MakeError("invalid wspecifier '", ws, "': no archive file name");
  if (!out.ark_path.empty() && out.ark_path.back() == '|')
    throw MakeError("unsupported wspecifier '", ws, "': output pipes are not supported");
  return out;
}

KaldiRspecifier ParseKaldiRspecifier(const std::string& rs) {
  const auto colon = rs.find(':');
  if (colon == std::string::npos)
    throw MakeError("invalid rspecifier '", rs, "': expected e.g. ark:feats.ark or scp:feats.scp");
  KaldiRspecifier out;
  bool kind_set = false;
  for (const std::string& raw : Split(rs.substr(0, colon), ',')) {
    const std::string opt = Trim(raw);
    if (opt == "b" || opt == "t") continue;  // Kaldi ignores these when reading
    if (opt == "o") out.once = true;
    else if (opt == "no") out.once = false;
    else if (opt == "p") out.permissive = true;
    else if (opt == "np") out.permissive = false;
    else if (opt == "s") out.sorted = true;
    else if (opt == "ns") out.sorted = false;
    else if (opt == "cs") out.called_sorted = true;
    else if (opt == "ncs") out.called_sorted = false;
    else if (opt == "bg") out.background = true;
    else if (opt == "ark" || opt == "scp") {
      if (kind_set) throw MakeError("invalid rspecifier '", rs, "': give exactly one of ark or scp");
      kind_set = true;
      out.kind = opt == "ark" ? KaldiRspecifier::Kind::kArchive : KaldiRspecifier::Kind::kScript;
    } else {
      throw MakeError("invalid rspecifier '", rs, "': unknown option '", opt, "'");
    }
  }
  if (!kind_set) throw MakeError("invalid rspecifier '", rs, "': missing ark or scp");
  out.path = Trim(rs.substr(colon + 1));
  if (out.path.empty()) throw MakeError("invalid rspecifier '", rs, "': no file name");
  if (out.path.back() == '|') throw MakeError("unsupported rspecifier '", rs, "': input pipes are not supported");
  return out;
}

}  // namespace auris::io
