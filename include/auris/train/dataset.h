// Labelled audio for training and evaluation, from a data spec:
//   DIR          one subfolder per label (Speech Commands layout): DIR/<label>/**/*.wav;
//                subfolders whose name starts with '_' (e.g. _background_noise_) are skipped
//   list:FILE    lines "<audio path> <label or transcript words...>", paths relative to
//                FILE's folder; blank lines and '#' comments skipped
//   kaldi:DIR    a Kaldi data dir: wav.scp, text ("<uttid> <label or words...>"),
//                optional segments, utt2spk and words.ctm (word times, as
//                `auris make-digits` writes: "<uttid> <channel> <start> <duration> <word>")
// The label is the rest of the line after the path / uttid with runs of
// blanks collapsed: one word for a classifier, a word sequence for CTC.
// Entries that cannot be used (no text line, empty label) are returned as
// problems, one per entry; audio problems show up when it is loaded.
#pragma once

#include <string>
#include <vector>

#include "auris/io/inputs.h"

namespace auris::train {

// A word and where it is in its utterance (seconds from the start).
struct WordSpan {
  std::string word;
  double start_s = 0, end_s = 0;
};

struct Example {
  io::InputItem source;  // source.uttid is the example's id
  std::string label;     // class label, or transcript (space-separated words)
  std::string speaker;   // from utt2spk; "" when unknown
  // From words.ctm, in time order; empty when unknown (no words.ctm, or no
  // lines of this utterance in it). When present, the words are exactly the
  // transcript's (otherwise the entry is a problem).
  std::vector<WordSpan> words;
};

struct Problem {
  std::string where;   // file (and line) or utterance id
  std::string reason;
};

struct DataSet {
  std::string spec;
  std::vector<Example> examples;
  std::vector<Problem> problems;
};

// Throws auris::Error naming the spec for a spec that cannot be read at all
// (missing directory or list file, malformed line, duplicate ids).
DataSet ReadDataSpec(const std::string& spec);

// Sorted distinct labels of a classification set.
std::vector<std::string> DistinctLabels(const std::vector<Example>& examples);

}  // namespace auris::train
