#include "model_rewrite.h"

#include <utility>

namespace auris::cli {

pipeline::Recognizer RewriteModelFile(const std::string& in, const std::string& out, const MetadataEdit& edit) {
  pipeline::Recognizer original = pipeline::Recognizer::Load(in);
  modelfile::ModelInfo info = original.Info();
  edit(original, info);
  modelfile::LoadedModel loaded = std::move(original).Release();
  loaded.info = std::move(info);
  pipeline::Recognizer checked(std::move(loaded), out);
  modelfile::SaveModel(out, checked.Model(), checked.Info());
  return checked;
}

}  // namespace auris::cli
