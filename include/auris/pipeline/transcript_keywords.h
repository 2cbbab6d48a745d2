// Keyword spotting with a CTC recogniser: a keyword is a word of its final
// transcripts (CtcSession), reported when its confidence (the geometric mean
// of its labels' posteriors, transcriber.h) reaches the threshold.
//
// Unlike the classifier spotter (keyword_spotter.h), which decides from a
// window's posteriors whatever else is said, the recogniser hears every word:
// "thirteen" is transcribed as "thirteen", not as "three", and a letter is a
// letter. The price is latency: events come with the utterance's final
// transcript, the endpoint's trailing silence after its last word.
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

  // The keywords among a final's words, in order; emitted_at_s: stream time
  // of the final (the event's "emitted").
  std::vector<KeywordEvent> Find(const LiveEvent& final_event, double emitted_at_s) const;

 private:
  struct Keyword {
    std::string word, label;
    int label_index = 0;  // index into the distinct labels, in order of first mention
  };
  std::vector<Keyword> keywords_;
  double threshold_;
};

}  // namespace auris::pipeline
