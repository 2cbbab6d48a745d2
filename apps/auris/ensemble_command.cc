// auris ensemble: combine trained classifiers into one model file whose
// output is the mean of their logits (modelfile/combine.h).
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "auris/modelfile/combine.h"
#include "auris/pipeline/recognizer.h"
#include "commands.h"

namespace auris::cli {
namespace {

struct EnsembleArgs {
  std::string out;
  std::vector<std::string> models;
};

int Run(const EnsembleArgs& a) {
  // Each member passes the checks inference makes, so the result only fails for a member's reason.
  std::vector<modelfile::LoadedModel> members;
  for (const std::string& path : a.models) members.push_back(pipeline::Recognizer::Load(path).Release());
  const pipeline::Recognizer combined(modelfile::CombineModels(members, a.models), a.out);
  modelfile::SaveModel(a.out, combined.Model(), combined.Info());
  std::fprintf(stderr, "auris ensemble: %zu models, %lld parameters -> %s\n", members.size(),
               static_cast<long long>(combined.Model().NumParams()), a.out.c_str());
  return 0;
}

void RegisterEnsemble(CLI::App& app, Registry& registry) {
  auto a = std::make_shared<EnsembleArgs>();
  CLI::App* cmd = app.add_subcommand(
      "ensemble",
      "Combine classifiers into one model: its output is the mean of their logits (the\n"
      "normalised geometric mean of their probabilities). Train the members with different\n"
      "--seed values; they must share labels, feature options and --vtln-search.\n"
      "  auris ensemble --out MODEL.safetensors MEMBER.safetensors MEMBER.safetensors...\n"
      "The result is used like any model: auris classify | eval | plot | live.");
  cmd->add_option("-o,--out", a->out, "Model file to write (.safetensors)")->required();
  cmd->add_option("models", a->models, "Member models (at least two)")->required()->expected(2, -1);
  cmd->callback([a, &registry] { registry.Set([a] { return Run(*a); }); });
}

}  // namespace

AURIS_COMMAND(25, RegisterEnsemble);

}  // namespace auris::cli
