// Connected-digit utterances built from single-word recordings (the TIDIGITS
// task from FSDD): each string joins 1..N recordings of ONE speaker with
// random gaps (some exactly zero, words abutting), optional leading/trailing
// silence and optional background noise over the whole string. The word
// boundaries are known by construction and written as a CTM, so recognisers'
// word timestamps can be scored.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "auris/train/audio_set.h"

namespace auris::train {

struct DigitStringOptions {
  int num_utterances = 1000;
  int min_words = 1, max_words = 7;     // uniform in [min, max]
  double max_gap_ms = 300;              // gap between words: uniform in [0, max] ...
  double zero_gap_prob = 0.25;          // ... or exactly 0 with this probability
  double max_edge_ms = 250;             // leading and trailing silence: uniform in [0, max]
  double noise_prob = 0;                // background noise over the whole string ...
  double snr_db_min = 15, snr_db_max = 40;  // ... at an SNR in this range (against ActivePower)
  std::uint64_t seed = 1;

  void Validate() const;
};

struct DigitString {
  std::string id;       // "<speaker>-<index>"
  std::string speaker;
  std::vector<float> audio;
  std::vector<WordSpan> words;

  std::string Transcript() const;
};

// Needs every example's speaker (e.g. from a kaldi: data spec's utt2spk) and
// a one-word label. Speakers take turns in order, so each gets an equal
// share; words are drawn uniformly from that speaker's recordings.
std::vector<DigitString> MakeDigitStrings(const AudioSet& singles, const DigitStringOptions& options);

// Writes a Kaldi data dir: DIR/wav/<id>.wav (16-bit), wav.scp, text, utt2spk,
// spk2utt and words.ctm ("<id> 1 <start> <duration> <word>", seconds) —
// all through temporary files renamed into place.
void WriteDigitStrings(const std::string& dir, const std::vector<DigitString>& strings, double sample_rate_hz);

}  // namespace auris::train
