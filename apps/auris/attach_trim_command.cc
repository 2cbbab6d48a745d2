// auris attach-trim: store speech trimming (dsp/speech_trim.h) in a
// classifier's feature chain, so classify | eval | the Python API cut every
// whole input to its speech first; --off removes it.
#include <cstdio>
#include <memory>
#include <string>

#include "auris/core/error.h"
#include "auris/pipeline/feature_config.h"
#include "auris/pipeline/recognizer.h"
#include "commands.h"
#include "model_rewrite.h"

namespace auris::cli {
namespace {

struct AttachTrimArgs {
  std::string model, out;
  dsp::SpeechTrimOptions trim;
  bool off = false;
};

int RunAttachTrim(const AttachTrimArgs& a) {
  RewriteModelFile(a.model, a.out, [&](const pipeline::Recognizer& rec, modelfile::ModelInfo& info) {
    if (rec.Task() != pipeline::ModelTask::kClassify)
      throw MakeError(a.model, ": trimming is for classifiers (a CTC model hears whole inputs)");
    pipeline::FeaturePipelineOptions features = rec.Features();
    if (a.off) features.trim.reset();
    else features.trim = a.trim;
    features.Validate();
    info.features_json = pipeline::FeatureConfigToJson(features);
  });
  std::fprintf(stderr, "auris attach-trim: %s -> %s\n", a.off ? "no trimming" : a.trim.ToString().c_str(),
               a.out.c_str());
  return 0;
}

void RegisterAttachTrim(CLI::App& app, Registry& registry) {
  auto a = std::make_shared<AttachTrimArgs>();
  CLI::App* cmd = app.add_subcommand(
      "attach-trim",
      "Store speech trimming in a classifier model file: auris classify | eval and the Python API\n"
      "then cut each whole input to its speech (10-ms block energies) before its features, so a word\n"
      "recorded with seconds of silence or room noise around it is heard as a trimmed one. Streams\n"
      "(auris live, serve) are not trimmed.\n"
      "  auris attach-trim --model IN.safetensors [--above-floor-db 15] [--below-peak-db 40]\n"
      "                    [--margin-ms 200] --out OUT.safetensors\n"
      "  auris attach-trim --model IN.safetensors --off --out OUT.safetensors\n"
      "Speech: 10-ms blocks louder than max(background + ABOVE, loudest - BELOW) dB; kept from the\n"
      "first to the last such block plus MARGIN either side, never into digital silence.");
  cmd->add_option("-m,--model", a->model, "Classifier model file")->required();
  CLI::Option* off = cmd->add_flag("--off", a->off, "Remove trimming instead");
  cmd->add_option("--above-floor-db", a->trim.above_floor_db, "dB above the background (10th percentile)")
      ->default_val(a->trim.above_floor_db)->excludes(off);
  cmd->add_option("--below-peak-db", a->trim.below_peak_db, "At most dB below the loudest block")
      ->default_val(a->trim.below_peak_db)->excludes(off);
  cmd->add_option("--margin-ms", a->trim.margin_ms, "Kept before and after the speech (ms)")
      ->default_val(a->trim.margin_ms)->excludes(off);
  cmd->add_option("-o,--out", a->out, "Model file to write")->required();
  cmd->callback([a, &registry] { registry.Set([a] { return RunAttachTrim(*a); }); });
}

}  // namespace

AURIS_COMMAND(32, RegisterAttachTrim);

}  // namespace auris::cli
