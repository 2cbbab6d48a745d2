#include "auris/pipeline/keyword_threshold.h"

#include <charconv>
#include <string>

#include "auris/core/error.h"

namespace auris::pipeline {
namespace {

void CheckRange(double t) {
  if (!(t > 0 && t <= 1)) throw MakeError("keyword threshold must be in (0, 1], got ", t);
}

}  // namespace

std::optional<double> StoredKeywordThreshold(const modelfile::ModelInfo& info) {
  const auto it = info.extra.find(kKeywordThresholdKey);
  if (it == info.extra.end()) return std::nullopt;
  const std::string& s = it->second;
  double t = 0;
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), t);
  if (ec != std::errc() || end != s.data() + s.size())
    throw MakeError("metadata '", kKeywordThresholdKey, "' is not a number: '", s, "'");
  try {
    CheckRange(t);
  } catch (const Error& e) {
    throw MakeError("metadata '", kKeywordThresholdKey, "': ", e.what());
  }
  return t;
}

void StoreKeywordThreshold(modelfile::ModelInfo& info, double threshold) {
  CheckRange(threshold);
  char buf[32];
  const auto [end, ec] = std::to_chars(buf, buf + sizeof buf, threshold);  // shortest form that reads back exactly
  info.extra[kKeywordThresholdKey] = std::string(buf, end);
}

KeywordSpotterOptions ModelKeywordOptions(const Recognizer& recognizer) {
  KeywordSpotterOptions o;
  if (const auto t = StoredKeywordThreshold(recognizer.Info())) o.decision.threshold = *t;
  return o;
}

}  // namespace auris::pipeline
