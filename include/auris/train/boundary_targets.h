// Training targets of a CTC model's boundary head (decode/word_segmentation.h):
// one class per feature frame from the true word times — onset for frames
// whose centre lies in the first onset_ms of a word, inside for the rest of
// the word, outside elsewhere.
#pragma once

#include <span>
#include <vector>

#include "auris/dsp/frame_options.h"
#include "auris/nn/seq_batch.h"
#include "auris/train/dataset.h"

namespace auris::train {

// words in time order, times in seconds of the audio the frames come from.
// A word too short to hold any frame centre still gets its nearest frame as
// onset, so no word goes missing from the targets (words past the last
// frame are left out).
std::vector<int> BoundaryTargets(std::span<const WordSpan> words, int num_frames, const dsp::FrameOptions& frame,
                                 double onset_ms);

// The boundary head's loss: cross-entropy of the LAST 3 columns of `out`
// (logits) against frame_classes[b] (one class per valid frame; an empty
// vector skips sequence b), summed over frames and times `weight`. Writes
// its gradient into the same columns of grad_out (same shape as out).
double BoundaryCrossEntropy(const nn::SeqBatch& out, const std::vector<std::vector<int>>& frame_classes, double weight,
                            nn::SeqBatch& grad_out);

}  // namespace auris::train
