// CTC forced alignment: the single best path (Viterbi) of a KNOWN label
// sequence through a CTC model's frames, blank* y1+ blank* y2+ ... blank*
// (a blank is required between two equal labels). It places each label of a
// reference transcript on the frames where the model emits it, which free
// decoding cannot do when the decoded text differs from the reference.
#pragma once

#include <vector>

#include "auris/core/eigen.h"

namespace auris::decode {

struct CtcAlignment {
  std::vector<int> first_frame;  // per target label: first frame of its run
  std::vector<int> last_frame;   // per target label: last frame (inclusive)
  double log_prob = 0;           // the path's log-probability (sum over frames)
};

// log_probs: T x C per-frame log-probabilities; targets: label ids, none the
// blank. Ties go to the path that stays in a state longest (earliest
// transitions are not preferred). Throws auris::Error if a target is out of
// range or the blank, on a NaN, or if the T frames cannot hold the targets
// (T < number of targets + number of equal neighbours). Empty targets give
// an empty alignment with the all-blank path's log-probability.
CtcAlignment CtcForcedAlign(const Eigen::Ref<const Matrix>& log_probs, const std::vector<int>& targets, int blank = 0);

}  // namespace auris::decode
