#include "auris/pipeline/live_events.h"

#include <nlohmann/json.hpp>

namespace auris::pipeline {

std::string ToJson(const LiveEvent& e) {
  const bool final = e.type == LiveEvent::Type::kFinal;
  nlohmann::json j = {{"type", final ? "final" : "partial"}, {"text", e.text}, {"start", e.start_s}, {"end", e.end_s}};
  if (final) {
    nlohmann::json words = nlohmann::json::array();
    double conf = 0;
    for (const TimedWord& w : e.words) {
      words.push_back({{"word", w.word}, {"start", w.start_s}, {"end", w.end_s}, {"conf", w.conf}});
      conf += w.conf;
    }
    j["score"] = e.words.empty() ? 0.0 : conf / static_cast<double>(e.words.size());
    j["words"] = words;
  }
  return j.dump();
}

std::string ToJson(const KeywordEvent& e) {
  return nlohmann::json{{"type", "keyword"}, {"label", e.label}, {"score", e.score}, {"start", e.start_s},
                        {"end", e.end_s}, {"emitted", e.emitted_at_s}}
      .dump();
}

}  // namespace auris::pipeline
