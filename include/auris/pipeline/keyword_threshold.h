// A keyword spotter's decision threshold stored in its classifier's model
// file (metadata "keyword_threshold", written by auris attach-threshold):
// the operating point chosen on development data for that model, used by
// auris live and auris serve when no --threshold is given (issue 24).
#pragma once

#include <optional>

#include "auris/modelfile/model_file.h"
#include "auris/pipeline/keyword_spotter.h"

namespace auris::pipeline {

inline constexpr const char* kKeywordThresholdKey = "keyword_threshold";

// The stored threshold; none if the model has none. Throws auris::Error if
// it is not a number in (0, 1].
std::optional<double> StoredKeywordThreshold(const modelfile::ModelInfo& info);

// Sets it (validated as above); throws auris::Error outside (0, 1].
void StoreKeywordThreshold(modelfile::ModelInfo& info, double threshold);

// The spotter's defaults for `recognizer`: KeywordSpotterOptions{} with the
// stored threshold, if any.
KeywordSpotterOptions ModelKeywordOptions(const Recognizer& recognizer);

}  // namespace auris::pipeline
