// CTC decoding flags shared by transcribe, eval and live: the model file's
// stored decoding (Recognizer::Decoding: beam, LM and fusion weights) unless
// a flag overrides it.
#pragma once

#include <CLI/CLI.hpp>

#include <optional>
#include <string>

#include "auris/pipeline/recognizer.h"

namespace auris::cli {

// --lm-weight of an --lm given to a model that stores no weight.
inline constexpr float kDefaultLmWeight = 0.5f;

struct DecodeFlags {
  std::optional<int> beam;
  std::string lm;  // ARPA file
  std::optional<float> lm_weight, word_bonus;
  bool no_lm = false;
};

// Adds --beam, --lm, --lm-weight, --word-bonus, --no-lm (in `group` if not empty).
void AddDecodeFlags(CLI::App& cmd, DecodeFlags& flags, const std::string& group = "");
// The model's decoding with the flags applied; an LM without a beam gets the
// default beam. Throws auris::Error on conflicting or bad values.
pipeline::TranscribeOptions ResolveDecoding(const DecodeFlags& flags, const pipeline::Recognizer& recognizer);

}  // namespace auris::cli
