// Where the speech of a whole input is: for classifying an isolated word
// recorded with silence or room noise around it. A model normalising per
// utterance (CMVN) sees seconds of noise shift its statistics, and digital
// silence (exact zeros) swamp them: the shipped digit classifier went from
// 97.6 % to 55 % (2 s of noise either side) and 7 % (2 s of zeros).
//
// On 10-ms blocks of the samples (Kaldi's int16 scale), energy
// E = 10 log10(mean square + 1e-10) dB:
//   floor = the block at rank floor((n - 1) / 10) in ascending energy
//           (the 10th percentile: the background);
//   speech blocks: E > max(floor + above_floor_db, loudest - below_peak_db);
//   live blocks: mean square >= 1 (an RMS of one LSB or more: not digital
//           silence).
// The span runs from the first speech block minus margin_ms to the last one
// plus margin_ms, clipped to the first and last live blocks (a margin of
// zeros would swamp the statistics again). No speech block, or an input
// shorter than one block: the whole input.
#pragma once

#include <cstdint>
#include <string>

namespace auris::dsp {

// Defaults chosen on AN4's dev speakers' digit words, as cut and padded with
// 2 s of noise or of zeros, with the shipped classifier (the best mean of the
// three among settings that kept the cut words' accuracy;
// recipes/fsdd-digits/README.md).
struct SpeechTrimOptions {
  double above_floor_db = 15;
  double below_peak_db = 40;
  double margin_ms = 200;

  void Validate() const;  // throws auris::Error naming the option
  std::string ToString() const;
};

struct SampleSpan {
  std::int64_t begin = 0, end = 0;  // [begin, end)
};

SampleSpan FindSpeechSpan(const float* samples, std::int64_t n, double sample_rate_hz,
                          const SpeechTrimOptions& options);

}  // namespace auris::dsp
