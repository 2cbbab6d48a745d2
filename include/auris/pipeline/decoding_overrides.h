// A CTC model's decoding with some settings overridden, as the CLI's --beam,
// --lm, --lm-weight, --word-bonus and --no-lm (and the Python package's
// transcribe arguments) override what the model file stores.
#pragma once

#include <optional>
#include <string>

#include "auris/pipeline/recognizer.h"
#include "auris/pipeline/transcribe_options.h"

namespace auris::pipeline {

// The LM weight of an LM given to a model that stores no weight.
inline constexpr float kDefaultLmWeight = 0.5f;

struct DecodingOverrides {
  std::optional<int> beam;
  std::string lm;  // an ARPA file instead of the model's LM
  std::optional<float> lm_weight, word_bonus;
  bool no_lm = false;  // without the model's LM
};

// recognizer.Decoding() with the overrides applied; an LM without a beam gets
// the default beam. Throws auris::Error naming the flag on conflicting or bad
// values, or the ARPA file it cannot read.
TranscribeOptions ResolveDecoding(const Recognizer& recognizer, const DecodingOverrides& overrides);

}  // namespace auris::pipeline
