// Streaming events as `auris live --json` prints them, one JSON object each,
// so the CLI and the Python package emit the very same records.
#pragma once

#include <string>

#include "auris/pipeline/ctc_session.h"
#include "auris/pipeline/keyword_spotter.h"

namespace auris::pipeline {

// {"type": "partial"|"final", "text", "start", "end"}; a final adds "score"
// (the mean word confidence, 0 without words) and "words" [{"word", "start",
// "end", "conf"}]. Seconds from the start of the session.
std::string ToJson(const LiveEvent& e);
// {"type": "keyword", "label", "score", "start", "end", "emitted"}.
std::string ToJson(const KeywordEvent& e);

}  // namespace auris::pipeline
