// The JSON records of live recognition events, one object per event, as
// `auris live --json` prints them and `auris serve` sends them (one format,
// one implementation). Returned as compact JSON text (keys sorted).
#pragma once

#include <string>

#include "auris/pipeline/ctc_session.h"
#include "auris/pipeline/keyword_spotter.h"

namespace auris::pipeline {

// {"type": "partial"|"final", "text", "start", "end"}; finals add "score"
// (mean word confidence) and "words": [{"word", "start", "end", "conf"}].
std::string LiveEventJson(const LiveEvent& e);
// {"type": "keyword", "label", "score", "start", "end", "emitted"}.
std::string KeywordEventJson(const KeywordEvent& e);

}  // namespace auris::pipeline
