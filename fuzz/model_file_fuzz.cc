// libFuzzer target for a model file's metadata: the input is its fields
// separated by NUL bytes (architecture JSON, labels JSON, features JSON,
// task, units). The architecture is built with a small parameter budget; its
// own weights are stored with the metadata, and the file is loaded as a
// recognizer. Anything may be refused with auris::Error, nothing else; a
// model that loads keeps its normalised architecture.
#include <vector>

#include "auris/core/error.h"
#include "auris/io/safetensors.h"
#include "auris/modelfile/model_file.h"
#include "auris/pipeline/recognizer.h"
#include "fuzz_support.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace auris;
  std::vector<std::string> fields(1);
  for (std::size_t i = 0; i < size; ++i) {
    if (data[i] == 0) fields.emplace_back();
    else fields.back().push_back(static_cast<char>(data[i]));
  }
  static const char* kKeys[] = {"architecture", "labels", "features", "task", "units"};
  io::SafetensorsFile file;
  std::string architecture;
  try {
    const nn::Model model(fields[0], 0, 1 << 16);
    architecture = model.Architecture();
    file.tensors = model.ExportParams();
  } catch (const Error&) {
    return 0;
  }
  for (std::size_t i = 0; i < fields.size() && i < std::size(kKeys); ++i) file.metadata[kKeys[i]] = fields[i];
  std::string bytes;
  try {
    bytes = io::SafetensorsBytes(file);
  } catch (const Error&) {
    return 0;  // metadata that is not UTF-8
  }
  modelfile::LoadedModel loaded;
  try {
    loaded = modelfile::LoadModelFromBytes(bytes, "fuzz-model");
  } catch (const Error& e) {
    // The weights fit their own architecture: only the labels may be wrong.
    fuzz::Require(std::string(e.what()).find("'labels'") != std::string::npos);
    return 0;
  }
  fuzz::Require(loaded.model->Architecture() == architecture);
  try {
    const pipeline::Recognizer recognizer(std::move(loaded), "fuzz-model");
  } catch (const Error&) {
  }
  return 0;
}
