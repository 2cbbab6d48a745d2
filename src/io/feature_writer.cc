#include "auris/io/feature_writer.h"

#include "auris/core/error.h"
#include "auris/io/dir_writers.h"
#include "auris/io/kaldi_ark_writer.h"

namespace auris::io {

std::string UttidToFileStem(const std::string& uttid) {
  static const char* hex = "0123456789ABCDEF";
  std::string out;
  for (std::size_t i = 0; i < uttid.size(); ++i) {
    const auto c = static_cast<unsigned char>(uttid[i]);
    if (c == '/' || c == '%' || c < 0x20 || c == 0x7f || (i == 0 && c == '.')) {
      out.push_back('%');
      out.push_back(hex[c >> 4]);
      out.push_back(hex[c & 15]);
    } else {
      out.push_back(static_cast<char>(c));
    }
  }
  return out;
}

std::unique_ptr<FeatureWriter> OpenFeatureWriter(const std::string& spec, const FeatureWriterOptions& options) {
  if (spec.rfind("npy:", 0) == 0) return std::make_unique<NpyDirWriter>(spec.substr(4));
  if (spec.rfind("htk:", 0) == 0) return std::make_unique<HtkDirWriter>(spec.substr(4), options.htk);
  if (LooksLikeKaldiSpecifier(spec)) return std::make_unique<KaldiArkWriter>(ParseKaldiWspecifier(spec));
  throw MakeError("unknown output '", spec,
                  "': expected a Kaldi wspecifier (ark:FILE, ark,t:-, ark,scp:ARK,SCP), npy:DIR or htk:DIR");
}

}  // namespace auris::io
