// How a CTC model's frame outputs become words: greedy or prefix beam search,
// optionally with shallow fusion of a word language model.
#pragma once

#include <memory>
#include <string>

#include "auris/decode/label_lm.h"

namespace auris::pipeline {

struct TranscribeOptions {
  int beam = 0;  // 0: greedy; N >= 1: prefix beam search keeping N prefixes
  // Shallow fusion (beam search only, decode/ctc_prefix_beam.h): the word LM
  // through the model's labels, the weight of its log-probability and a
  // bonus per word (nats).
  std::shared_ptr<const decode::LabelLm> lm;
  float lm_weight = 0;
  float word_bonus = 0;

  // Throws auris::Error naming the flag: --beam < 0, an LM without beam
  // search, a negative or non-finite --lm-weight, a non-finite --word-bonus.
  void Validate() const;
  std::string ToString() const;
};

}  // namespace auris::pipeline
