// Keyword spotting in an endless stream with a classifier trained on short
// clips (a keyword somewhere inside, or "_"-labelled background).
//
// Staggered classifier streams: a new PooledStream starts every hop_ms and
// lives window_ms, so at any time some stream began shortly before any word
// and has seen all of it. All streams share one online feature extractor and
// normaliser (features are computed once). Per frame, a label's score is its
// highest posterior over the streams that have seen at least min_age_ms
// (younger ones have seen too little to be trusted); KeywordDecider smooths
// the scores and decides. An event's start/end come from the stream with the
// highest posterior for the label: KeywordLocator on its attention scores and
// the frames' energies. Times are seconds from the start of the stream.
//
// Defaults (measured on recipes/kws-digits' 60-minute stream with its first
// model): window = the training clips' length; hop 200 ms keeps 5 streams
// (RTF ~0.003 for a 2x64 LSTM) — hop 100 ms doubled the compute without a
// better FRR/FA trade-off; min_age 300-700 ms traded misses for false alarms
// about as the threshold does, 500 ms keeps inputs near the clips' length.
//
// Memory is flat: ceil(window / hop) streams and rings of one window.
// Per frame nothing is allocated (an event allocates its label).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "auris/dsp/feature_extractor.h"
#include "auris/pipeline/classifier_stream.h"
#include "auris/pipeline/keyword_decider.h"
#include "auris/pipeline/keyword_locator.h"

namespace auris::pipeline {

struct KeywordSpotterOptions {
  double window_ms = 1000;  // --window-ms: life of each stream (the training clips' length)
  double hop_ms = 200;      // --hop-ms: a new stream every hop
  double min_age_ms = 500;  // --min-age-ms: a stream's posteriors count from this age on
  KeywordDecisionOptions decision;
  KeywordLocatorOptions locator;

  void Validate() const;  // throws auris::Error naming the option
  std::string ToString() const;
};

struct KeywordEvent {
  std::string label;
  int label_index = 0;
  float score = 0;         // peak smoothed score (KeywordDecider)
  double start_s = 0;      // the keyword's estimated start and end
  double end_s = 0;
  double emitted_at_s = 0;  // stream time at which it was decided
};

class KeywordSpotter {
 public:
  // Throws auris::Error on bad options or a model that is not a streamable
  // classifier (CheckStreamableClassifier).
  KeywordSpotter(const Recognizer& recognizer, const KeywordSpotterOptions& options);

  // Samples at the model's rate (Kaldi int16 scale); returns the events they caused.
  std::vector<KeywordEvent> Accept(const float* samples, std::int64_t n);
  // End of input: events of the last frames.
  std::vector<KeywordEvent> Finish();

  double SecondsSeen() const { return static_cast<double>(samples_) / rate_; }
  std::int64_t FramesDone() const { return frames_; }
  // Smoothed scores of every label after the last frame (display).
  const std::vector<float>& Smoothed() const { return decider_.Smoothed(); }
  int NumStreams() const { return static_cast<int>(streams_.size()); }

 private:
  struct Slot {
    PooledStream net;
    std::int64_t start = 0;   // first frame
    std::int64_t age = 0;     // frames seen; dead once >= window frames
    std::vector<float> attention;  // score per frame seen
  };

  void AddEnergy(const float* samples, std::int64_t n);
  float FrameEnergyDb(std::int64_t frame) const;
  void RunAvailableFrames(std::vector<KeywordEvent>& events);
  void RunFrame(std::vector<KeywordEvent>& events);
  KeywordEvent MakeEvent(int label, float score);

  const Recognizer* rec_;
  KeywordSpotterOptions options_;
  double rate_;
  dsp::FrameOptions frame_opts_;
  std::int64_t window_frames_, hop_frames_, min_age_frames_;
  dsp::OnlineFeatureExtractor features_;
  FrameNormaliser normaliser_;
  KeywordDecider decider_;
  std::vector<Slot> streams_;
  std::vector<PooledStream*> live_;  // the streams stepped this frame (capacity: all)
  std::vector<float> row_;          // one feature frame, normalised in place
  std::vector<float> scores_;       // per label: max over counted streams
  std::vector<int> winner_;         // per label: stream with that max (-1: none)
  std::vector<float> frame_energy_;  // ring over frames (window + 1), dB
  std::vector<float> block_energy_;  // ring over frame-shift blocks of samples, dB
  double block_sum_ = 0;            // current block: sum of squares so far
  std::vector<float> span_att_, span_energy_, scratch_;  // one window each, for events
  std::int64_t samples_ = 0, frames_ = 0;
};

}  // namespace auris::pipeline
