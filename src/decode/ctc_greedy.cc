#include "auris/decode/ctc_greedy.h"

#include <cmath>

#include "auris/core/check.h"

namespace auris::decode {

CtcGreedyDecoder::CtcGreedyDecoder(int num_classes, int blank) : num_classes_(num_classes), blank_(blank) {
  AURIS_CHECK_GE(num_classes, 1) << "CTC greedy decoder: number of classes";
  AURIS_CHECK(blank >= 0 && blank < num_classes)
      << "CTC greedy decoder: blank " << blank << " is not a class id in [0, " << num_classes << ")";
}

void CtcGreedyDecoder::AcceptFrame(const float* scores) {
  int best = 0;
  for (int c = 0; c < num_classes_; ++c) {
    AURIS_CHECK(!std::isnan(scores[c])) << "CTC greedy decoder: NaN score for class " << c << " at frame " << frames_;
    if (scores[c] > scores[best]) best = c;
  }
  if (best == prev_) {
    if (best != blank_) result_.last_frame.back() = frames_;
  } else if (best != blank_) {
    result_.labels.push_back(best);
    result_.first_frame.push_back(frames_);
    result_.last_frame.push_back(frames_);
  }
  prev_ = best;
  ++frames_;
}

void CtcGreedyDecoder::Reset() {
  frames_ = 0;
  prev_ = -1;
  result_ = {};
}

CtcGreedyResult CtcGreedyDecode(const Eigen::Ref<const Matrix>& scores, int blank) {
  CtcGreedyDecoder decoder(static_cast<int>(scores.cols()), blank);
  for (Eigen::Index t = 0; t < scores.rows(); ++t) decoder.AcceptFrame(scores.row(t).data());
  return decoder.Result();
}

}  // namespace auris::decode
