// Greedy (best-path) CTC decoding: the best class of every frame, runs of the
// same class merged, blanks dropped. Works on raw logits, log-probabilities or
// probabilities alike (only the per-frame argmax matters). Each emitted label
// keeps the first and last frame of its merged run, for timestamps.
//
// One implementation for streaming and batch: CtcGreedyDecoder takes frames
// one at a time; CtcGreedyDecode runs it over a whole T x C matrix, so both
// give the same result by construction.
#pragma once

#include <vector>

#include "auris/core/eigen.h"

namespace auris::decode {

struct CtcGreedyResult {
  std::vector<int> labels;       // emitted class ids (never the blank)
  std::vector<int> first_frame;  // per label: first frame of its run
  std::vector<int> last_frame;   // per label: last frame of its run (inclusive)
};

class CtcGreedyDecoder {
 public:
  // blank: the blank class id (0, as in CtcLoss). Throws auris::Error if
  // num_classes < 1 or blank is not in [0, num_classes).
  explicit CtcGreedyDecoder(int num_classes, int blank = 0);

  // One frame of num_classes scores. Ties go to the lowest class id. Throws
  // auris::Error (naming the frame) on a NaN score.
  void AcceptFrame(const float* scores);
  // Result over all frames so far. A label's last_frame grows while its run
  // continues, so it is final only once a different class is seen.
  const CtcGreedyResult& Result() const { return result_; }
  int FramesSeen() const { return frames_; }
  int NumClasses() const { return num_classes_; }
  // Back to the state before the first frame.
  void Reset();

 private:
  int num_classes_;
  int blank_;
  int frames_ = 0;
  int prev_ = -1;  // best class of the previous frame; -1 before the first
  CtcGreedyResult result_;
};

// Decodes a whole utterance: rows are frames, columns classes (any row stride,
// e.g. one sequence of a time-major batch viewed through an Eigen::Map).
CtcGreedyResult CtcGreedyDecode(const Eigen::Ref<const Matrix>& scores, int blank = 0);

}  // namespace auris::decode
