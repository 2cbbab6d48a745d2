// Output units of a CTC model: whole words or characters of the training
// transcripts. The label list of a CTC model is the blank "<blk>" followed by
// the units in sorted order; for characters, the space between words is the
// unit "|" (so word boundaries survive decoding).
#pragma once

#include <string>
#include <vector>

#include "auris/decode/edit_distance.h"
#include "auris/train/dataset.h"

namespace auris::train {

enum class Units { kWords, kChars };

inline constexpr const char* kBlankLabel = "<blk>";
inline constexpr const char* kSpaceUnit = "|";

Units ParseUnits(const std::string& name);  // "words" | "chars"; throws otherwise
const char* UnitsName(Units units);

std::vector<std::string> SplitUnits(const std::string& transcript, Units units);
// "<blk>" + sorted distinct units of every transcript.
std::vector<std::string> CtcLabels(const std::vector<Example>& examples, Units units);

// The word alignment of two label-id sequences (no blanks) of a model with
// these labels: character units are grouped into words at "|" first, so
// errors count words, as auris eval does, not characters.
decode::EditAlignment AlignWords(const std::vector<int>& ref, const std::vector<int>& hyp,
                                 const std::vector<std::string>& labels, Units units);

}  // namespace auris::train
