#include "live_keywords.h"

#include <algorithm>
#include <cstdio>

#include "auris/core/error.h"
#include "auris/pipeline/keyword_threshold.h"
#include "auris/pipeline/live_json.h"

namespace auris::cli {
namespace {

// "LABEL=P" -> label_thresholds (the spotter checks the label against the model).
void ParseThresholdFor(const std::vector<std::string>& specs, pipeline::KeywordDecisionOptions& d) {
  for (const std::string& s : specs) {
    const std::size_t eq = s.rfind('=');
    if (eq == std::string::npos || eq == 0 || eq + 1 == s.size())
      throw MakeError("--threshold-for ", s, ": expected LABEL=P, e.g. --threshold-for five=0.9");
    try {
      std::size_t used = 0;
      const double p = std::stod(s.substr(eq + 1), &used);
      if (used != s.size() - eq - 1) throw std::invalid_argument(s);
      d.label_thresholds[s.substr(0, eq)] = p;
    } catch (const std::logic_error&) {
      throw MakeError("--threshold-for ", s, ": \"", s.substr(eq + 1), "\" is not a number");
    }
  }
}

// The label with the highest smoothed score (a "_" label when no keyword
// is ahead) and that score: "five 0.93".
std::string BestLabel(const pipeline::Recognizer& rec, const std::vector<float>& smoothed) {
  if (smoothed.empty()) return {};
  const auto best = std::max_element(smoothed.begin(), smoothed.end()) - smoothed.begin();
  char buf[32];
  std::snprintf(buf, sizeof buf, " %.2f", smoothed[static_cast<std::size_t>(best)]);
  return rec.Labels()[static_cast<std::size_t>(best)] + buf;
}

pipeline::KeywordSpotterOptions WithThresholds(const pipeline::Recognizer& rec, const KeywordLiveOptions& o) {
  pipeline::KeywordSpotterOptions so = o.spotter;
  so.decision.threshold = o.threshold.value_or(pipeline::ModelKeywordOptions(rec).decision.threshold);
  ParseThresholdFor(o.threshold_for, so.decision);
  return so;
}

}  // namespace

void AddKeywordOptions(CLI::App* cmd, KeywordLiveOptions& o) {
  pipeline::KeywordSpotterOptions& s = o.spotter;
  const std::string k = "Keyword spotting (classification models)";
  char fallback[32];
  std::snprintf(fallback, sizeof fallback, "%g", s.decision.threshold);
  cmd->add_option_function<double>(
         "--threshold", [&o](double t) { o.threshold = t; },
         std::string("Keywords: smoothed posterior that fires an event (default: the model's, from auris "
                     "attach-threshold, else ") + fallback + "); with a CTC model's --keywords: the lowest word "
                     "confidence reported (default 0)")
      ->group(k);
  cmd->add_option("--threshold-for", o.threshold_for, "Keywords: LABEL=P, threshold of one label (repeatable)")
      ->group(k);
  cmd->add_option("--smooth-ms", s.decision.smooth_ms, "Keywords: moving average of the posteriors")
      ->default_val(s.decision.smooth_ms)
      ->group(k);
  cmd->add_option("--refractory-ms", s.decision.refractory_ms, "Keywords: no second event of a label this soon")
      ->default_val(s.decision.refractory_ms)
      ->group(k);
  cmd->add_option("--peak-wait-ms", s.decision.peak_wait_ms,
                  "Keywords: wait up to this long after the threshold crossing for the score's peak, reported as "
                  "the event's score (0: emit at the crossing, scored there)")
      ->default_val(s.decision.peak_wait_ms)
      ->group(k);
  cmd->add_option("--window-ms", s.window_ms, "Keywords: life of each classifier stream")
      ->default_val(s.window_ms)
      ->group(k);
  cmd->add_option("--hop-ms", s.hop_ms, "Keywords: a new classifier stream every hop")->default_val(s.hop_ms)->group(k);
  cmd->add_option("--min-age-ms", s.min_age_ms, "Keywords: a stream's posteriors count from this age on")
      ->default_val(s.min_age_ms)
      ->group(k);
}

void ShowKeyword(const pipeline::KeywordEvent& e, LiveDisplay& display, LiveSummary& summary) {
  ++summary.events;
  if (display.IsJson()) {
    display.EmitText(pipeline::KeywordEventJson(e));
  } else {
    char line[160];
    std::snprintf(line, sizeof line, "%8.2f %8.2f  %s  %.2f", e.start_s, e.end_s, e.label.c_str(), e.score);
    display.Scroll(line);
  }
}

KeywordLive::KeywordLive(const pipeline::Recognizer& rec, const KeywordLiveOptions& options)
    : rec_(&rec), spotter_(rec, WithThresholds(rec, options)) {}

LiveSummary KeywordLive::Run(LiveSource& source, LiveDisplay& display, double duration_s,
                             const std::atomic<bool>& stop) {
  LiveSummary summary;
  auto show = [&](const std::vector<pipeline::KeywordEvent>& events) {
    for (const pipeline::KeywordEvent& e : events) ShowKeyword(e, display, summary);
  };
  std::vector<float> samples;
  for (bool more = true; more && !stop;) {
    more = ReadChunk(source, duration_s, spotter_.SecondsSeen(), rec_->SampleRate(), &samples, &summary.source_error);
    show(spotter_.Accept(samples.data(), static_cast<std::int64_t>(samples.size())));
    display.Meter(LevelDb(samples.data(), samples.size()), BestLabel(*rec_, spotter_.Smoothed()));
  }
  source.Stop();
  show(spotter_.Finish());
  summary.seconds = spotter_.SecondsSeen();
  return summary;
}

}  // namespace auris::cli
