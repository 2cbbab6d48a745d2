// auris classify: label audio files with a trained classifier, or as isolated
// words with a word-unit CTC model.
#include <algorithm>
#include <cstdio>
#include <memory>
#include <numeric>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "auris/core/error.h"
#include "auris/pipeline/recognizer.h"
#include "commands.h"
#include "per_input.h"

namespace auris::cli {
namespace {

struct ClassifyArgs {
  std::string model;
  std::vector<std::string> inputs;
  std::string segments;
  int top_k = 1;
  bool json = false;
  int num_threads = 0;
};

int Run(const ClassifyArgs& a) {
  const pipeline::Recognizer rec = pipeline::Recognizer::Load(a.model);
  if (!rec.CanClassify())
    throw MakeError(a.model, ": a CTC model with character units cannot classify words; use auris transcribe");
  const std::vector<std::string>& labels = rec.ClassLabels();
  const std::vector<io::InputItem> items = io::ExpandInputs(a.inputs, a.segments);
  const int k = std::clamp(a.top_k, 1, static_cast<int>(labels.size()));
  return ForEachInput<pipeline::Classification>(
      "classify", items, a.num_threads,
      [&](const io::InputItem& item) { return rec.ClassifyInput(item).result; },
      [&](const io::InputItem& item, const pipeline::Classification& c) {
        const std::vector<float>& p = c.probs;
        std::vector<int> order(p.size());
        std::iota(order.begin(), order.end(), 0);
        std::stable_sort(order.begin(), order.end(), [&](int x, int y) { return p[x] > p[y]; });
        const std::string name = InputName(item);
        if (a.json) {
          nlohmann::json top = nlohmann::json::array();
          for (int r = 0; r < k; ++r) top.push_back({{"label", labels[order[r]]}, {"score", p[order[r]]}});
          nlohmann::json j = {{"file", name}, {"label", labels[order[0]]}, {"score", p[order[0]]}, {"top", top}};
          std::printf("%s\n", j.dump().c_str());
        } else {
          std::printf("%s\t%s %.3f", name.c_str(), labels[order[0]].c_str(), p[order[0]]);
          for (int r = 1; r < k; ++r) std::printf("\t%s %.3f", labels[order[r]].c_str(), p[order[r]]);
          std::printf("\n");
        }
        std::fflush(stdout);
      });
}

void RegisterClassify(CLI::App& app, Registry& registry) {
  auto a = std::make_shared<ClassifyArgs>();
  CLI::App* cmd = app.add_subcommand(
      "classify",
      "Label audio with a trained classifier: one line per input, in input order.\n"
      "  auris classify --model MODEL.safetensors <input>... [--top-k K] [--json]\n"
      "A CTC model with word units classifies too: each input is taken as one isolated word,\n"
      "scored by P(word | audio) over all its CTC alignments, normalised over the words.\n"
      "Inputs as for auris features (files, directories, scp:wav.scp, list:FILE). Any sample\n"
      "rate or channel count: audio is resampled to the model's rate and averaged to mono.\n"
      "Text output: <file> TAB <label> <probability> [TAB <label> <probability>]...\n"
      "--json: {\"file\", \"label\", \"score\", \"top\": [{\"label\", \"score\"}...]} per line.");
  cmd->add_option("-m,--model", a->model, "Model file")->required();
  cmd->add_option("inputs", a->inputs, "Audio inputs")->required();
  cmd->add_option("--segments", a->segments, "Kaldi segments file over the recordings of scp: input");
  cmd->add_option("-k,--top-k", a->top_k, "Labels to show per input, best first")->default_val(1);
  cmd->add_flag("--json", a->json, "JSON lines output");
  cmd->add_option("--num-threads", a->num_threads, "Threads (0: all cores)")->default_val(0);
  cmd->callback([a, &registry] { registry.Set([a] { return Run(*a); }); });
}

}  // namespace

AURIS_COMMAND(30, RegisterClassify);

}  // namespace auris::cli
