#include "auris/pipeline/vtln_search.h"

#include <algorithm>
#include <cmath>
#include <sstream>

#include "auris/core/error.h"

namespace auris::pipeline {

std::vector<double> VtlnSearchGrid(double min, double max, double step) {
  if (!std::isfinite(min) || !std::isfinite(max) || !(min > 0) || min > max)
    throw MakeError("--vtln-search: need 0 < MIN <= MAX, got ", min, " and ", max);
  if (min == max) return {min};
  if (!std::isfinite(step) || !(step > 0)) throw MakeError("--vtln-search: STEP (", step, ") must be > 0");
  const double span = std::floor((max - min) / step + 1e-9);
  if (!(span <= 1000)) throw MakeError("--vtln-search: more than 1001 warps; use a larger STEP");
  const auto n = static_cast<long long>(span);
  std::vector<double> warps;
  for (long long k = 0; k <= n; ++k) warps.push_back(std::round((min + k * step) * 1e6) / 1e6);
  return warps;
}

std::string FormatVtlnSearch(const std::vector<double>& warps) {
  std::ostringstream os;
  for (std::size_t i = 0; i < warps.size(); ++i) os << (i ? " " : "") << warps[i];
  return os.str();
}

std::vector<double> ParseVtlnSearch(const std::string& text) {
  std::istringstream is(text);
  std::vector<double> warps;
  std::string word;
  while (is >> word) {
    std::size_t used = 0;
    double w = 0;
    try {
      w = std::stod(word, &used);
    } catch (const std::exception&) {
      used = 0;
    }
    if (used != word.size() || !std::isfinite(w) || !(w > 0))
      throw MakeError("vtln_search: \"", word, "\" is not a positive warp factor");
    warps.push_back(w);
  }
  if (warps.empty()) throw MakeError("vtln_search: no warp factors in \"", text, "\"");
  if (warps.size() > 1001) throw MakeError("vtln_search: ", warps.size(), " warps (at most 1001)");
  return warps;
}

dsp::FeatureOptions WithWarp(const dsp::FeatureOptions& features, double warp) {
  dsp::FeatureOptions out = features;
  if (warp != 1.0 && out.type == "spectrogram")
    throw MakeError("a VTLN warp (", warp, ") needs mel features (--type mfcc, fbank or plp), not spectrogram");
  out.ForEachMel([warp](dsp::MelOptions& m) { m.vtln_warp = static_cast<float>(warp); });
  out.Validate();
  return out;
}

FeaturePipelineOptions WithWarp(const FeaturePipelineOptions& options, double warp) {
  FeaturePipelineOptions out = options;
  out.features = WithWarp(options.features, warp);
  return out;
}

std::vector<double> SearchOrder(std::vector<double> warps) {
  std::stable_sort(warps.begin(), warps.end(),
                   [](double a, double b) { return std::abs(a - 1) < std::abs(b - 1); });
  return warps;
}

}  // namespace auris::pipeline
