// The attach-* commands' common step: a model file rewritten with new
// metadata, checked before it is written.
#pragma once

#include <functional>
#include <string>

#include "auris/modelfile/model_file.h"
#include "auris/pipeline/recognizer.h"

namespace auris::cli {

// Loads `in` as inference does; `edit` changes a copy of its metadata (and
// throws auris::Error to refuse the model or the change); the result is loaded
// as inference will load `out` (errors name `out`), so a file that would not
// load is never written; then it is saved to `out` through a temporary file
// (`out` may be `in`). Returns the written model.
using MetadataEdit = std::function<void(const pipeline::Recognizer& model, modelfile::ModelInfo& info)>;
pipeline::Recognizer RewriteModelFile(const std::string& in, const std::string& out, const MetadataEdit& edit);

}  // namespace auris::cli
