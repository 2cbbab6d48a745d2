// Test-time VTLN search for classifiers: the utterance is classified with its
// mel filters warped by each factor of a list (Kaldi's piecewise-linear VTLN
// warp) and the most confident answer is kept. A warp that makes a new voice
// look like the training voices gives the sharpest posterior — the
// maximum-likelihood warp choice of classic VTLN (Lee & Rose 1998), with the
// classifier's confidence standing in for the likelihood. The list is stored
// in the model's metadata ("vtln_search", space-separated factors) by
// `auris train --vtln-search`.
#pragma once

#include <string>
#include <vector>

#include "auris/pipeline/feature_pipeline.h"

namespace auris::pipeline {

// min, min + step, ..., max (within 1e-9 of max), each rounded to 1e-6.
// Throws auris::Error unless 0 < min <= max and step > 0 (step may be
// anything when min == max).
std::vector<double> VtlnSearchGrid(double min, double max, double step);

std::string FormatVtlnSearch(const std::vector<double>& warps);
// Throws auris::Error on anything but positive finite numbers.
std::vector<double> ParseVtlnSearch(const std::string& text);

// The options with the mel filters warped by `warp` (also VTLP in
// training), validated: throws auris::Error unless the features are mfcc or
// fbank with Kaldi's mel triangles and the warp fits their frequency range.
dsp::FeatureOptions WithWarp(const dsp::FeatureOptions& features, double warp);
FeaturePipelineOptions WithWarp(const FeaturePipelineOptions& options, double warp);

// Order in which to try the warps: the closest to 1 first, so that among
// equally confident warps the least warped one wins.
std::vector<double> SearchOrder(std::vector<double> warps);

}  // namespace auris::pipeline
