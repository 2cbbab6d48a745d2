// Figures of auris's JSON reports, for `auris plot`: the confusion matrix of
// `auris eval --json` and the training curves of a training log (JSON lines,
// one object per epoch). Errors name the file (and line).
#pragma once

#include <string>

#include "auris/plot/figure.h"

namespace auris::cli {

// `path` "-" reads stdin. Expects {"labels": [n strings], "confusion": n x n
// counts (rows = true label, columns = predicted)}, with optional
// "accuracy" and "n" shown in the title.
plot::Figure ConfusionFigure(const std::string& path, plot::FigureOptions options);

// Every numeric series of the log against "epoch" (or the line number):
// losses in one panel, accuracies / error rates in another, the learning
// rate and any other numbers each in their own.
plot::Figure CurvesFigure(const std::string& path, plot::FigureOptions options);

}  // namespace auris::cli
