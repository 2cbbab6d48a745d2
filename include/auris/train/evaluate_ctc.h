// Evaluating a CTC recogniser on transcribed audio: word error rate (the
// Levenshtein alignment of decode/edit_distance.h, summed over utterances),
// sentence error rate, and — where the data has true word times (words.ctm)
// — how well the word timestamps match them.
#pragma once

#include <string>
#include <vector>

#include "auris/core/progress.h"
#include "auris/pipeline/transcriber.h"
#include "auris/train/dataset.h"

namespace auris::train {

struct CtcEvalOptions {
  pipeline::TranscribeOptions decode;
  double tolerance_ms = 100;  // a word's start and end must both be this close to the truth
};

struct UtteranceError {
  std::string file;  // audio path (or utterance id for pipe inputs)
  std::string ref, hyp;
  int errors = 0;
};

struct CtcEval {
  long n_utts = 0, n_words = 0;  // reference words
  long sub = 0, del = 0, ins = 0, sentence_errors = 0;
  // Timing, over the utterances with true word times: of their reference
  // words, how many were recognised (aligned as a match) with the start,
  // the end, and both ends within the tolerance. A misrecognised word counts
  // as a miss. Offsets (hypothesis - truth, seconds) of the matched words.
  long timed_words = 0, start_within = 0, end_within = 0, both_within = 0;
  std::vector<double> start_offsets_s, end_offsets_s;
  double tolerance_ms = 100;
  std::vector<UtteranceError> errors;  // utterances with errors, in data-set order
  std::vector<Problem> problems;       // examples that could not be evaluated

  double Wer() const { return n_words > 0 ? static_cast<double>(sub + del + ins) / n_words : 0; }
  double Ser() const { return n_utts > 0 ? static_cast<double>(sentence_errors) / n_utts : 0; }
};

// Deterministic whatever the thread count. Throws if the model is not CTC.
CtcEval EvaluateCtc(const pipeline::Recognizer& recognizer, const DataSet& data, const CtcEvalOptions& options,
                    int num_threads, Progress* progress = nullptr);

// {"wer", "ser", "n_words", "n_utts", "sub", "del", "ins", "errors": [{"file", "ref", "hyp"}]}
// plus, with word times, "timing": {"tolerance_ms", "words", "both_within",
// "start_within", "end_within" (fractions of the timed reference words),
// "start_offset_median_ms", "end_offset_median_ms"}.
std::string CtcEvalJson(const CtcEval& eval);

}  // namespace auris::train
