// `auris live` with a classification model: keyword spotting over the
// stream (pipeline::KeywordSpotter), its options and output.
#pragma once

#include <atomic>
#include <optional>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "auris/pipeline/keyword_spotter.h"
#include "live_display.h"
#include "live_source.h"

namespace auris::cli {

struct KeywordLiveOptions {
  pipeline::KeywordSpotterOptions spotter;
  std::optional<double> threshold;  // --threshold; none: the model's stored one, else the spotter's default
  std::vector<std::string> threshold_for;  // "LABEL=P", repeatable
};

// Adds --threshold, --threshold-for, --smooth-ms, --refractory-ms,
// --peak-wait-ms, --window-ms, --hop-ms, --min-age-ms.
void AddKeywordOptions(CLI::App* cmd, KeywordLiveOptions& options);

struct LiveSummary {
  double seconds = 0;  // audio seen
  long events = 0;     // keywords / final transcripts
  std::string source_error;  // the input failed mid-stream (e.g. the microphone vanished); empty: it did not
};

// One keyword event: a JSON line, or "<start> <end>  <label>  <score>" on the terminal.
void ShowKeyword(const pipeline::KeywordEvent& e, LiveDisplay& display, LiveSummary& summary);

class KeywordLive {
 public:
  // Throws auris::Error on bad options (e.g. --threshold-for of an unknown
  // label) or a classifier that cannot stream.
  KeywordLive(const pipeline::Recognizer& rec, const KeywordLiveOptions& options);

  // Spots keywords in `source` until it ends, `stop` is set or duration_s of
  // audio (0: no limit) were seen, then stops the source; events and the
  // live line (level meter, best label) go to `display`.
  LiveSummary Run(LiveSource& source, LiveDisplay& display, double duration_s, const std::atomic<bool>& stop);

 private:
  const pipeline::Recognizer* rec_;
  pipeline::KeywordSpotter spotter_;
};

}  // namespace auris::cli
