// auris eval: accuracy, per-class precision / recall and the confusion
// matrix of a classifier (or of a word-unit CTC model on isolated words) on
// a labelled data set; WER, SER and word timing of a CTC recogniser on a
// transcribed one.
#include <algorithm>
#include <cstdio>
#include <memory>
#include <string>

#include "auris/core/atomic_file.h"
#include "auris/core/error.h"
#include "auris/core/progress.h"
#include "auris/core/thread_pool.h"
#include "auris/pipeline/recognizer.h"
#include "auris/train/dataset.h"
#include "auris/train/evaluate.h"
#include "auris/train/evaluate_ctc.h"
#include "commands.h"
#include "decode_flags.h"

namespace auris::cli {
namespace {

struct EvalArgs {
  std::string model, data;
  bool json = false;
  std::string json_out;  // also write the JSON here, with the text report on stdout
  int num_threads = 0;
  bool quiet = false;
  bool isolated_words = false;
  train::CtcEvalOptions ctc;  // its decode comes from `decode` and the model
  DecodeFlags decode;
};

void PrintReport(const train::ClassifierEval& e, const std::vector<std::string>& labels) {
  const decode::Confusion& c = e.confusion;
  std::printf("accuracy %.2f%% (%lld of %lld)\n\n", c.Accuracy() * 100,
              static_cast<long long>(c.Total() - static_cast<std::int64_t>(e.errors.size())),
              static_cast<long long>(c.Total()));
  std::size_t w = 5;
  for (const std::string& l : labels) w = std::max(w, l.size());
  const int iw = static_cast<int>(w);
  std::printf("%-*s  precision  recall      n\n", iw, "label");
  for (int i = 0; i < c.NumClasses(); ++i)
    std::printf("%-*s  %8.2f%%  %6.2f%%  %5lld\n", iw, labels[i].c_str(), c.Precision(i) * 100, c.Recall(i) * 100,
                static_cast<long long>(c.Support(i)));
  std::printf("\nconfusion (rows: true label, columns: predicted)\n%-*s", iw, "");
  for (int j = 0; j < c.NumClasses(); ++j) std::printf(" %*.*s", 5, 5, labels[j].c_str());
  std::printf("\n");
  for (int i = 0; i < c.NumClasses(); ++i) {
    std::printf("%-*s", iw, labels[i].c_str());
    for (int j = 0; j < c.NumClasses(); ++j) std::printf(" %5lld", static_cast<long long>(c.Count(i, j)));
    std::printf("\n");
  }
  if (!e.errors.empty()) std::printf("\nerrors\n");
  for (const train::Misclassified& m : e.errors)
    std::printf("%s\t%s -> %s (%.3f)\n", m.file.c_str(), m.label.c_str(), m.predicted.c_str(), m.score);
}

void PrintCtcReport(const train::CtcEval& e) {
  std::printf("WER %.2f%% (%ld errors: %ld sub, %ld del, %ld ins in %ld words), SER %.2f%% (%ld of %ld utterances)\n",
              e.Wer() * 100, e.sub + e.del + e.ins, e.sub, e.del, e.ins, e.n_words, e.Ser() * 100, e.sentence_errors,
              e.n_utts);
  if (e.timed_words > 0) {
    const double n = static_cast<double>(e.timed_words) / 100;
    std::printf("timing: %.2f%% of %ld words recognised with both ends within %g ms (start %.2f%%, end %.2f%%)\n",
                e.both_within / n, e.timed_words, e.tolerance_ms, e.start_within / n, e.end_within / n);
  }
  if (!e.errors.empty()) std::printf("\nerrors (reference -> hypothesis)\n");
  for (const train::UtteranceError& u : e.errors)
    std::printf("%s\t%s -> %s\n", u.file.c_str(), u.ref.c_str(), u.hyp.empty() ? "(nothing)" : u.hyp.c_str());
}

// The JSON to stdout (--json) or the text report, and the JSON to --json-out.
template <typename PrintText>
void Report(const EvalArgs& a, const std::string& json, PrintText print_text) {
  if (!a.json_out.empty()) WriteFileAtomically(a.json_out, json + "\n");
  if (a.json) std::printf("%s\n", json.c_str());
  else print_text();
}

int RunCtc(const EvalArgs& a, const pipeline::Recognizer& rec, const train::DataSet& data, int threads,
           Progress& progress) {
  train::CtcEvalOptions options = a.ctc;
  options.decode = pipeline::ResolveDecoding(rec, a.decode);
  const train::CtcEval e = train::EvaluateCtc(rec, data, options, threads, &progress);
  progress.Finish();
  for (const train::Problem& p : e.problems)
    std::fprintf(stderr, "auris eval: error: %s: %s\n", p.where.c_str(), p.reason.c_str());
  Report(a, train::CtcEvalJson(e), [&] { PrintCtcReport(e); });
  if (!e.problems.empty())
    std::fprintf(stderr, "auris eval: %zu examples could not be evaluated (not counted)\n", e.problems.size());
  return e.problems.empty() ? 0 : 1;
}

int Run(const EvalArgs& a) {
  const pipeline::Recognizer rec = pipeline::Recognizer::Load(a.model);
  if (a.isolated_words && !rec.CanClassify())
    throw MakeError(a.model, ": --isolated-words needs a CTC model with word units, not characters");
  const train::DataSet data = train::ReadDataSpec(a.data);
  Progress progress(data.examples.size(), !a.quiet && IsTerminal(stderr) ? stderr : nullptr);
  const int threads = a.num_threads > 0 ? a.num_threads : ThreadPool::HardwareThreads();
  if (rec.Task() == pipeline::ModelTask::kCtc && !a.isolated_words) return RunCtc(a, rec, data, threads, progress);
  const train::ClassifierEval e = train::EvaluateClassifier(rec, data, threads, &progress);
  progress.Finish();
  for (const train::Problem& p : e.problems)
    std::fprintf(stderr, "auris eval: error: %s: %s\n", p.where.c_str(), p.reason.c_str());
  Report(a, train::ClassifierEvalJson(e, rec.ClassLabels()), [&] { PrintReport(e, rec.ClassLabels()); });
  if (!e.problems.empty())
    std::fprintf(stderr, "auris eval: %zu examples could not be evaluated (not counted)\n", e.problems.size());
  return e.problems.empty() ? 0 : 1;
}

void RegisterEval(CLI::App& app, Registry& registry) {
  auto a = std::make_shared<EvalArgs>();
  CLI::App* cmd = app.add_subcommand(
      "eval",
      "Evaluate a model on labelled audio.\n"
      "  auris eval --model MODEL.safetensors --data SPEC [--isolated-words] [--json] [--json-out FILE]\n"
      "Classifier: accuracy, per-class precision/recall, confusion matrix, misclassified files.\n"
      "CTC model: word error rate (substitutions, deletions, insertions), sentence error rate,\n"
      "the utterances with errors and, if the data has words.ctm, how many words have both\n"
      "timestamps within --tolerance-ms of the truth. With --isolated-words, a CTC model with word\n"
      "units is evaluated as a classifier of one-word inputs (see auris classify).\n"
      "Data SPEC as for auris train: DIR (subfolder per label), list:FILE, kaldi:DIR.");
  cmd->add_option("-m,--model", a->model, "Model file")->required();
  cmd->add_option("-d,--data", a->data, "Labelled data spec")->required();
  cmd->add_flag("--json", a->json,
                "One JSON object. Classifier or --isolated-words: accuracy, n, labels, per_class, confusion, "
                "errors. CTC: wer, ser, n_words, n_utts, sub, del, ins, errors [, timing]");
  cmd->add_option("--json-out", a->json_out,
                  "Also write that JSON object to FILE (the report still goes to stdout: one evaluation gives both)")
      ->type_name("FILE");
  AddDecodeFlags(*cmd, a->decode, "CTC decoding");
  cmd->add_flag("--isolated-words", a->isolated_words,
                "CTC model with word units: each input is one word, classified by P(word | audio), reported as "
                "for a classifier (a classifier is evaluated so anyway)");
  cmd->add_option("--tolerance-ms", a->ctc.tolerance_ms, "CTC: word timing tolerance")->default_val(100);
  cmd->add_option("--num-threads", a->num_threads, "Threads (0: all cores)")->default_val(0);
  cmd->add_flag("-q,--quiet", a->quiet, "No progress line");
  cmd->callback([a, &registry] { registry.Set([a] { return Run(*a); }); });
}

}  // namespace

AURIS_COMMAND(40, RegisterEval);

}  // namespace auris::cli
