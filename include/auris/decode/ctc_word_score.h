// Scoring an isolated word with a CTC model: log P(one label | x), the sum
// over every alignment blank* k+ blank* of the T frames (the CTC forward
// algorithm for a one-label target). A CTC model trained on connected words
// thereby classifies a single-word input: the word of highest P(word | x)
// (Recognizer::Classify). No parameters to tune: it is the model's own
// probability of each one-word transcript.
#pragma once

#include <vector>

#include "auris/core/eigen.h"

namespace auris::decode {

// log_probs: T x C per-frame log-probabilities (rows log-softmax normalised).
// Returns C entries: log P([k] | x) for every class k != blank, -infinity for
// the blank itself and for every k when T == 0. Throws auris::Error if blank
// is not in [0, C) or a score is NaN.
std::vector<double> CtcSingleLabelLogProbs(const Matrix& log_probs, int blank = 0);

// P(word | x): CtcSingleLabelLogProbs normalised over the classes other than
// the blank (C - 1 entries, in label order, the blank left out), in double:
// a long input's scores reach -1e5, where float steps are too coarse. Throws
// auris::Error as above, and if there are no frames or no class but the blank.
std::vector<float> CtcWordPosteriors(const Matrix& log_probs, int blank = 0);

}  // namespace auris::decode
