// Evaluating a trained classifier on a labelled data set, through the same
// Recognizer that serves it (model file → its features → network).
#pragma once

#include <string>
#include <vector>

#include "auris/core/progress.h"
#include "auris/decode/metrics.h"
#include "auris/pipeline/recognizer.h"
#include "auris/train/dataset.h"

namespace auris::train {

struct Misclassified {
  std::string file;  // audio path (or utterance id for pipe inputs)
  std::string label, predicted;
  float score = 0;   // probability of the prediction
};

struct ClassifierEval {
  decode::Confusion confusion{1};
  std::vector<Misclassified> errors;  // in data-set order
  std::vector<Problem> problems;      // examples that could not be evaluated
};

// Examples whose audio fails, or whose label the model does not know, are
// problems (reported, not counted). Deterministic whatever the thread count.
ClassifierEval EvaluateClassifier(const pipeline::Recognizer& recognizer, const DataSet& data, int num_threads,
                                  Progress* progress = nullptr);

// {"accuracy", "n", "labels", "per_class": {label: {"precision", "recall", "n"}},
//  "confusion": [[...]] (rows = true label), "errors": [{"file", "label", "predicted"}]}
std::string ClassifierEvalJson(const ClassifierEval& eval, const std::vector<std::string>& labels);

}  // namespace auris::train
