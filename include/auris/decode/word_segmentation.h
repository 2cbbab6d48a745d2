// Word boundaries from the boundary head of a CTC model. CTC alone places
// each word's spike anywhere inside (often late in) the word, so its frames
// say little about where words start and end. The boundary head classifies
// every frame as outside a word, the onset of a word or its inside, trained
// on true word times; given the number of words (from the CTC transcript),
// the best segmentation of the utterance into exactly that many words is a
// small Viterbi search:
//   outside* (onset+ inside* outside*) x num_words
// Words may abut (inside -> onset of the next word), which is how two words
// spoken without a pause are told apart; a run of onset frames is always one
// word's onset, so the frame classes of a segmentation determine it.
#pragma once

#include <vector>

#include "auris/core/eigen.h"

namespace auris::decode {

enum class BoundaryClass : int { kOutside = 0, kOnset = 1, kInside = 2 };
inline constexpr int kNumBoundaryClasses = 3;

struct FrameSpan {
  int first = 0;  // first frame of the word (its first onset frame)
  int last = 0;   // last frame of the word (inclusive)
};

// log_probs: T x 3 log-probabilities (columns in BoundaryClass order). Returns
// num_words spans in time order, non-overlapping. Ties go to the path met
// first (staying in a state before entering the next). Throws auris::Error if
// the frames cannot hold num_words (T < 2 num_words - 1), on a NaN or a wrong column count. num_words 0 gives {}.
std::vector<FrameSpan> SegmentWords(const Eigen::Ref<const Matrix>& log_probs, int num_words);

}  // namespace auris::decode
