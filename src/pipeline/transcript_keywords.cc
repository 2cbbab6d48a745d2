#include "auris/pipeline/transcript_keywords.h"

#include <algorithm>

#include "auris/core/error.h"

namespace auris::pipeline {
namespace {

bool Has(const std::vector<std::string>& labels, const std::string& s) {
  return std::find(labels.begin(), labels.end(), s) != labels.end();
}

// Why the model can never output `word`, or "" if it can.
std::string Unspellable(const Recognizer& rec, const std::string& word) {
  const std::vector<std::string>& labels = rec.Labels();
  if (!rec.CharUnits()) return Has(labels, word) ? "" : "is not one of the model's words";
  for (char c : word)
    if (c == '|' || !Has(labels, std::string(1, c)))
      return std::string("has the character '") + c + "', which the model does not output";
  return "";
}

}  // namespace

TranscriptKeywords::TranscriptKeywords(const Recognizer& rec, const TranscriptKeywordOptions& o)
    : threshold_(o.threshold) {
  if (rec.Task() != ModelTask::kCtc) throw Error("keywords from transcripts need a CTC model");
  if (!(o.threshold >= 0 && o.threshold <= 1)) throw MakeError("keyword threshold ", o.threshold, " not in [0, 1]");
  if (o.keywords.empty()) throw Error("no keywords given");
  std::vector<std::string> labels;
  for (const std::string& spec : o.keywords) {
    const std::size_t eq = spec.find('=');
    Keyword k;
    k.word = spec.substr(0, eq);
    k.label = eq == std::string::npos ? k.word : spec.substr(eq + 1);
    if (k.word.empty() || k.label.empty() || k.label.find('=') != std::string::npos ||
        k.word.find_first_of(" \t") != std::string::npos)
      throw MakeError("keyword \"", spec, "\": expected WORD or WORD=LABEL (one word, e.g. oh=zero)");
    if (const std::string why = Unspellable(rec, k.word); !why.empty())
      throw MakeError("keyword \"", k.word, "\" ", why);
    for (const Keyword& other : keywords_)
      if (other.word == k.word) throw MakeError("keyword \"", k.word, "\" given twice");
    const auto at = std::find(labels.begin(), labels.end(), k.label);
    k.label_index = static_cast<int>(at - labels.begin());
    if (at == labels.end()) labels.push_back(k.label);
    keywords_.push_back(std::move(k));
  }
}

std::vector<KeywordEvent> TranscriptKeywords::After(const std::vector<LiveEvent>& events, const CtcSession& session) {
  std::vector<KeywordEvent> found;
  auto add = [&found](std::vector<KeywordEvent> more) {
    for (KeywordEvent& k : more) found.push_back(std::move(k));
  };
  for (const LiveEvent& e : events)
    if (e.type == LiveEvent::Type::kFinal) add(Final(e.words, session.SecondsSeen()));
  if (session.StableWordCount() > seen_) add(Update(session.StableWords(), session.SecondsSeen()));
  return found;
}

std::vector<KeywordEvent> TranscriptKeywords::Final(const std::vector<TimedWord>& words, double emitted_at_s) {
  std::vector<KeywordEvent> events = Update(words, emitted_at_s);
  seen_ = 0;
  return events;
}

std::vector<KeywordEvent> TranscriptKeywords::Update(const std::vector<TimedWord>& words, double emitted_at_s) {
  std::vector<KeywordEvent> events;
  for (; seen_ < words.size(); ++seen_) {
    const TimedWord& w = words[seen_];
    if (w.conf < threshold_) continue;
    for (const Keyword& k : keywords_) {
      if (k.word != w.word) continue;
      KeywordEvent e;
      e.label = k.label;
      e.label_index = k.label_index;
      e.score = static_cast<float>(w.conf);
      e.start_s = w.start_s;
      e.end_s = w.end_s;
      e.emitted_at_s = emitted_at_s;
      events.push_back(std::move(e));
    }
  }
  return events;
}

}  // namespace auris::pipeline
