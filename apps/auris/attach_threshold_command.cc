// auris attach-threshold: store the keyword spotter's decision threshold in a
// classifier model file, so `auris live` (and auris serve) run at the
// operating point chosen for that model without options (issue 24).
#include <cstdio>
#include <memory>
#include <string>

#include "auris/core/error.h"
#include "auris/pipeline/classifier_stream.h"
#include "auris/pipeline/keyword_threshold.h"
#include "auris/pipeline/recognizer.h"
#include "commands.h"
#include "model_rewrite.h"

namespace auris::cli {
namespace {

struct AttachThresholdArgs {
  std::string model, out;
  double threshold = 0;
};

int Run(const AttachThresholdArgs& a) {
  const pipeline::Recognizer written =
      RewriteModelFile(a.model, a.out, [&](const pipeline::Recognizer& rec, modelfile::ModelInfo& info) {
        if (rec.Task() != pipeline::ModelTask::kClassify)
          throw MakeError(a.model, ": a keyword threshold needs a classification model (auris live spots keywords with one)");
        pipeline::CheckStreamableClassifier(rec);  // what auris live needs
        try {
          pipeline::StoreKeywordThreshold(info, a.threshold);
        } catch (const Error& e) {
          throw MakeError("--threshold: ", e.what());
        }
      });
  const std::string& stored = written.Info().extra.at(pipeline::kKeywordThresholdKey);
  std::fprintf(stderr, "auris attach-threshold: keyword threshold %s -> %s\n", stored.c_str(), a.out.c_str());
  return 0;
}

void RegisterAttachThreshold(CLI::App& app, Registry& registry) {
  auto a = std::make_shared<AttachThresholdArgs>();
  CLI::App* cmd = app.add_subcommand(
      "attach-threshold",
      "Store a keyword spotter's decision threshold in its classification model file; auris live\n"
      "and auris serve then fire at it by default (auris live --threshold still overrides it).\n"
      "  auris attach-threshold --model IN.safetensors --threshold T --out OUT.safetensors\n"
      "Choose T on development data (e.g. recipes/kws-digits/eval_stream.sh --an4 dev).");
  cmd->add_option("-m,--model", a->model, "Classification model file")->required();
  cmd->add_option("--threshold", a->threshold, "Smoothed posterior that fires an event, in (0, 1]")->required();
  cmd->add_option("-o,--out", a->out, "Model file to write (may be --model)")->required();
  cmd->callback([a, &registry] { registry.Set([a] { return Run(*a); }); });
}

}  // namespace

AURIS_COMMAND(39, RegisterAttachThreshold);

}  // namespace auris::cli
