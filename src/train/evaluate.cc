#include "auris/train/evaluate.h"

#include <algorithm>
#include <optional>

#include <nlohmann/json.hpp>

#include "auris/core/error.h"
#include "auris/core/thread_pool.h"

namespace auris::train {

ClassifierEval EvaluateClassifier(const pipeline::Recognizer& rec, const DataSet& data, int num_threads,
                                  Progress* progress) {
  const std::vector<std::string>& labels = rec.ClassLabels();
  const std::size_t n = data.examples.size();
  std::vector<std::optional<pipeline::Classification>> out(n);
  std::vector<std::string> errors(n);
  ThreadPool pool(num_threads);
  pool.ParallelFor(n, [&](std::size_t i, int) {
    const Example& e = data.examples[i];
    double seconds = 0;
    try {
      if (std::find(labels.begin(), labels.end(), e.label) == labels.end())
        throw MakeError("label '", e.label, "' is not one of the model's labels");
      pipeline::InputClassification c = rec.ClassifyInput(e.source);
      seconds = c.features.audio_seconds;
      out[i] = std::move(c.result);
    } catch (const std::exception& ex) {
      errors[i] = ex.what();
    }
    if (progress) progress->Advance(seconds, !out[i]);
  });
  ClassifierEval eval;
  eval.confusion = decode::Confusion(static_cast<int>(labels.size()));
  eval.problems = data.problems;
  for (std::size_t i = 0; i < n; ++i) {
    const Example& e = data.examples[i];
    if (!out[i]) {
      eval.problems.push_back({e.source.uttid, errors[i]});
      continue;
    }
    const int truth = static_cast<int>(std::find(labels.begin(), labels.end(), e.label) - labels.begin());
    eval.confusion.Add(truth, out[i]->best);
    if (truth != out[i]->best)
      eval.errors.push_back({e.source.IsPipe() ? e.source.uttid : e.source.path, e.label, labels[out[i]->best],
                             out[i]->probs[out[i]->best]});
  }
  return eval;
}

std::string ClassifierEvalJson(const ClassifierEval& eval, const std::vector<std::string>& labels) {
  using nlohmann::json;
  const decode::Confusion& c = eval.confusion;
  json per_class = json::object(), confusion = json::array(), errors = json::array();
  for (int i = 0; i < c.NumClasses(); ++i) {
    per_class[labels[i]] = {{"precision", c.Precision(i)}, {"recall", c.Recall(i)}, {"n", c.Support(i)}};
    json row = json::array();
    for (int j = 0; j < c.NumClasses(); ++j) row.push_back(c.Count(i, j));
    confusion.push_back(row);
  }
  for (const Misclassified& m : eval.errors)
    errors.push_back({{"file", m.file}, {"label", m.label}, {"predicted", m.predicted}, {"score", m.score}});
  return json{{"accuracy", c.Accuracy()}, {"n", c.Total()}, {"labels", labels}, {"per_class", per_class},
              {"confusion", confusion}, {"errors", errors}}
      .dump();
}

}  // namespace auris::train
