// Training targets of a CTC model's boundary head (decode/word_segmentation.h):
// one class per feature frame from the true word times — onset for frames
// whose centre lies in the first onset_ms of a word, inside for the rest of
// the word, outside elsewhere.
#pragma once

#include <span>
#include <vector>

#include "auris/dsp/frame_options.h"
#include "auris/train/dataset.h"

namespace auris::train {

// words in time order, times in seconds of the audio the frames come from.
// A word too short to hold any frame centre still gets its nearest frame as
// onset, so no word goes missing from the targets.
std::vector<int> BoundaryTargets(std::span<const WordSpan> words, int num_frames, const dsp::FrameOptions& frame,
                                 double onset_ms);

}  // namespace auris::train
