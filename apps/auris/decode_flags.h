// CTC decoding flags shared by transcribe, eval and live: the model file's
// stored decoding (Recognizer::Decoding: beam, LM and fusion weights) unless
// a flag overrides it (pipeline::ResolveDecoding applies them).
#pragma once

#include <CLI/CLI.hpp>

#include <string>

#include "auris/pipeline/decoding_overrides.h"

namespace auris::cli {

using DecodeFlags = pipeline::DecodingOverrides;

// Adds --beam, --lm, --lm-weight, --word-bonus, --no-lm (in `group` if not empty).
void AddDecodeFlags(CLI::App& cmd, DecodeFlags& flags, const std::string& group = "");

}  // namespace auris::cli
