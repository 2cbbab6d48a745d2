// Text, word times and confidences from a CTC model's frame outputs.
//
// Decoding is greedy (beam 0) or CTC prefix beam search (beam N), with an
// optional word LM (transcribe_options.h). Word times
// come from the model's boundary head when it has one (the Viterbi word
// segmentation of decode/word_segmentation.h, forced to the decoded word
// count), otherwise from the frames where the CTC labels fire, which only
// roughly locate a word (spikes sit late in it). A word's confidence is the
// geometric mean of its labels' posteriors where they fire.
#pragma once

#include <string>
#include <vector>

#include "auris/decode/ctc_prefix_beam.h"
#include "auris/decode/ngram_lm.h"
#include "auris/pipeline/recognizer.h"
#include "auris/pipeline/transcribe_options.h"

namespace auris::pipeline {

// `lm` seen through the recognizer's labels (word or char units), for
// TranscribeOptions::lm. Throws auris::Error naming `name` if the model is
// not CTC or its char labels lack "|".
std::shared_ptr<const decode::LabelLm> LabelLmFor(const Recognizer& recognizer,
                                                  std::shared_ptr<const decode::NgramLm> lm, const std::string& name);

struct TimedWord {
  std::string word;
  double start_s = 0, end_s = 0;  // from the start of the audio
  double conf = 0;                // in (0, 1]
};

struct Transcript {
  std::string text;  // words joined by single spaces
  std::vector<TimedWord> words;
};

// A word as a range of decoded tokens.
struct WordTokens {
  std::string word;
  int first_token = 0, last_token = 0;
};

// Decoded label indices grouped into words: one token per word, or
// characters with "|" between words (char_units).
std::vector<WordTokens> GroupWords(const std::vector<int>& tokens, const std::vector<std::string>& labels,
                                   bool char_units);
// The words joined by single spaces.
std::string JoinWords(const std::vector<WordTokens>& words);

// The transcript of `frames` (Recognizer::CtcOutputs) of a model with these
// labels (labels[0] = blank; char_units: characters with "|" between words)
// and framing.
Transcript DecodeTranscript(const CtcFrames& frames, const std::vector<std::string>& labels, bool char_units,
                            const dsp::FrameOptions& framing, const TranscribeOptions& options);
// The same for a hypothesis a CtcPrefixBeamDecoder found over `frames` (what
// DecodeTranscript does with beam search, for decoders fed frame by frame).
Transcript TranscriptOf(const decode::CtcBeamHypothesis& best, const CtcFrames& frames,
                        const std::vector<std::string>& labels, bool char_units, const dsp::FrameOptions& framing);
// The beam search options of `options` (beam, fusion weights).
decode::CtcBeamOptions BeamOptions(const TranscribeOptions& options);

// The label ids of reference `words` (char_units: their characters with "|"
// between words). Throws auris::Error naming a word or character the labels
// lack.
std::vector<int> ReferenceTokens(const std::vector<std::string>& words, const std::vector<std::string>& labels,
                                 bool char_units);

// The reference `words` placed on `frames`: the CTC forced alignment
// (decode/ctc_forced_align.h) of their labels gives where each label fires
// and its confidence; word times come from the boundary head segmented into
// exactly words.size() words when the model has one and use_boundary_head,
// else from the frames where the aligned labels fire (for a causal model: at
// or just after each word's end). Throws auris::Error if a word is not in the
// labels or the frames are too few for the words.
Transcript AlignTranscript(const CtcFrames& frames, const std::vector<std::string>& labels, bool char_units,
                           const dsp::FrameOptions& framing, const std::vector<std::string>& words,
                           bool use_boundary_head = true);

// Keeps word times inside the audio's first `audio_s` seconds (a CTC
// Recognizer's features continue into its tail silence): from the last
// word back, an end past the limit moves to it and a start to at least one
// frame shift before the end, so words stay in order and never overlap.
void ClampToAudio(Transcript& transcript, double audio_s, const dsp::FrameOptions& framing);

// Convenience: features -> outputs -> transcript, clamped to the audio's
// duration (UtteranceFeatures::audio_seconds).
Transcript Transcribe(const Recognizer& recognizer, const Matrix& features, double audio_s,
                      const TranscribeOptions& options);

// Convenience: features -> outputs -> the aligned reference, clamped as Transcribe.
Transcript Align(const Recognizer& recognizer, const Matrix& features, double audio_s,
                 const std::vector<std::string>& words, bool use_boundary_head = true);

}  // namespace auris::pipeline
