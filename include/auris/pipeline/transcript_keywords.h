// Keyword spotting with a CTC recogniser: a keyword is a word of its
// transcript (CtcSession), reported when its confidence (the geometric mean
// of its labels' posteriors, transcriber.h) reaches the threshold. Each word
// is looked at once, as soon as no later audio can change it (the session's
// stable words), or at the latest in the utterance's final transcript.
//
// Unlike the classifier spotter (keyword_spotter.h), which decides from a
// window's posteriors whatever else is said, the recogniser hears every word:
// "thirteen" is transcribed as "thirteen", not as "three", and a letter is a
// letter. The price is latency: a word is certain only once the search has
// settled on it (with beam search, when every kept hypothesis agrees).
#pragma once

#include <string>
#include <vector>

#include "auris/pipeline/ctc_session.h"
#include "auris/pipeline/keyword_spotter.h"
#include "auris/pipeline/recognizer.h"

namespace auris::pipeline {

struct TranscriptKeywordOptions {
  // "WORD" or "WORD=LABEL": the word as the model spells it and the label
  // reported (several words may share a label, e.g. "oh=zero").
  std::vector<std::string> keywords;
  double threshold = 0;  // lowest word confidence reported, in [0, 1]
};

class TranscriptKeywords {
 public:
  // Throws auris::Error if there are no keywords, a spec is malformed or
  // repeated, the threshold is outside [0, 1], the model is not CTC, or it
  // cannot output a keyword (a word-unit model without that word, a
  // character model without one of its characters).
  TranscriptKeywords(const Recognizer& recognizer, const TranscriptKeywordOptions& options);

  // The keywords among one utterance's words from WordsSeen() on, in order:
  // Update with its stable words as they grow, Final with its final words
  // (the next utterance starts after it). emitted_at_s: the stream time now
  // (the event's "emitted").
  std::vector<KeywordEvent> Update(const std::vector<TimedWord>& words, double emitted_at_s);
  std::vector<KeywordEvent> Final(const std::vector<TimedWord>& words, double emitted_at_s);
  std::size_t WordsSeen() const { return seen_; }
  // What a caller of `session` does after each Accept / Finish that returned
  // `events`: the keywords of their finals, then of the current utterance's
  // stable words.
  std::vector<KeywordEvent> After(const std::vector<LiveEvent>& events, const CtcSession& session);

 private:
  struct Keyword {
    std::string word, label;
    int label_index = 0;  // index into the distinct labels, in order of first mention
  };
  std::vector<Keyword> keywords_;
  double threshold_;
  std::size_t seen_ = 0;  // words of the current utterance looked at
};

}  // namespace auris::pipeline
