// KeywordSpotter: (1) the staggered streams over one shared feature
// extractor give, frame by frame, the maximum over independent
// ClassifierStreams run on the audio from each hop's start (a small random
// model); (2) with the trained digit spotter (data/models/kws-digits.safetensors,
// skipped if absent): held-out FSDD digits among noise gaps at known times are
// each reported once, with the right label, start and end within 100 ms.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <filesystem>

#include "auris/core/error.h"
#include "auris/core/rng.h"
#include "auris/pipeline/keyword_spotter.h"
#include "kws_test_stream.h"
#include "stream_classifier.h"

using namespace auris;
using namespace auris::pipeline;
using namespace auris::test;

namespace {

KeywordSpotterOptions Opts(double window_ms, double hop_ms, double min_age_ms, double smooth_ms = 100,
                           double threshold = 0.8) {
  KeywordSpotterOptions o;
  o.window_ms = window_ms;
  o.hop_ms = hop_ms;
  o.min_age_ms = min_age_ms;
  o.decision.smooth_ms = smooth_ms;
  o.decision.threshold = threshold;
  return o;
}

}  // namespace

TEST_CASE("KeywordSpotter: scores are the max over staggered streams old enough, features shared") {
  const Recognizer rec = StreamableClassifier({"a", "b", "c", "_bg"});
  const std::vector<float> audio = audio::LoadForFeatures(SourceDir() + "/data/samples/three_one_four.wav",
                                                          ModelAudioOptions(rec.SampleRate()));
  // 10 ms frames: window 30 frames, a stream every 10, counted from age 5; no smoothing.
  const KeywordSpotterOptions o = Opts(300, 100, 50, 0, 1.0);
  KeywordSpotter spotter(rec, o);
  CHECK(spotter.NumStreams() == 3);
  // Independent streams on the audio from each hop start (frame s starts at sample 160 s).
  const std::int64_t shift = 160;
  std::vector<Matrix> stream_logits;
  for (std::int64_t s = 0; s * shift < static_cast<std::int64_t>(audio.size()); s += 10) {
    ClassifierStream c(rec);
    c.AcceptWaveform(audio.data() + s * shift, static_cast<std::int64_t>(audio.size()) - s * shift);
    stream_logits.push_back(c.FrameLogits());
  }
  std::int64_t checked = 0;
  for (std::size_t at = 0; at < audio.size(); at += shift) {
    const std::int64_t before = spotter.FramesDone();
    const auto n = static_cast<std::int64_t>(std::min<std::size_t>(shift, audio.size() - at));
    CHECK(spotter.Accept(audio.data() + at, n).empty());  // threshold 1 is never reached
    REQUIRE(spotter.FramesDone() - before <= 1);
    if (spotter.FramesDone() == before) continue;
    const std::int64_t t = spotter.FramesDone() - 1;
    std::vector<float> want(4, 0.0f);
    for (std::int64_t s = 0; s <= t; s += 10) {
      const std::int64_t age = t - s + 1;
      if (age > 30 || age < 5) continue;
      const Matrix& logits = stream_logits[static_cast<std::size_t>(s / 10)];
      const std::vector<float> p = Softmax(logits.row(age - 1).data(), 4);
      for (int k = 0; k < 4; ++k) want[k] = std::max(want[k], p[k]);
    }
    CAPTURE(t);
    CHECK(spotter.Smoothed() == want);
    ++checked;
  }
  CHECK(checked > 100);
}

TEST_CASE("KeywordSpotter: bad options are errors naming the option") {
  const Recognizer rec = StreamableClassifier({"a", "_bg"});
  CHECK_THROWS_WITH_AS(KeywordSpotter(rec, Opts(500, 600, 100)), doctest::Contains("--hop-ms"), Error);
  CHECK_THROWS_WITH_AS(KeywordSpotter(rec, Opts(500, 100, 500)), doctest::Contains("--min-age-ms"),
                       Error);
  CHECK_THROWS_WITH_AS(KeywordSpotter(rec, Opts(0, 100, 0)), doctest::Contains("--window-ms"), Error);
  const Recognizer shipped = Recognizer::Load(SourceDir() + "/data/models/digits.safetensors");
  CHECK_THROWS_WITH_AS(KeywordSpotter(shipped, {}), doctest::Contains("looks ahead"), Error);
  modelfile::LoadedModel stacked = StreamableClassifierModel({"a", "_bg"}, 7);
  const std::string arch = stacked.model->Architecture();
  stacked.model = std::make_unique<nn::Model>("{\"stack\": 3, " + arch.substr(1), 7);
  CHECK_THROWS_WITH_AS(KeywordSpotter(Recognizer(std::move(stacked)), {}),
                       doctest::Contains("one frame per step; this one stacks 3"), Error);
}

TEST_CASE("KeywordSpotter: held-out FSDD digits among noise gaps: found with their labels and times") {
  const std::string model = SourceDir() + "/data/models/kws-digits.safetensors";
  AURIS_SKIP_IF(!std::filesystem::exists(model), model << " absent (recipes/kws-digits/run.sh --install)");
  AURIS_SKIP_IF(FsddDir().empty(), "FSDD not found");
  const Recognizer rec = Recognizer::Load(model);
  std::vector<TruthWord> truth;
  const std::vector<float> stream = KwsTestStream(rec.SampleRate(), &truth);
  KeywordSpotter spotter(rec, {});
  std::vector<KeywordEvent> events;
  for (std::size_t at = 0; at < stream.size(); at += 800) {  // 100 ms chunks
    const auto n = static_cast<std::int64_t>(std::min<std::size_t>(800, stream.size() - at));
    for (KeywordEvent& e : spotter.Accept(stream.data() + at, n)) events.push_back(std::move(e));
  }
  for (KeywordEvent& e : spotter.Finish()) events.push_back(std::move(e));
  for (const TruthWord& w : truth) MESSAGE("truth: " << w.label << " [" << w.start_s << ", " << w.end_s << "]");
  for (const KeywordEvent& e : events)
    MESSAGE(e.label << " " << e.score << " [" << e.start_s << ", " << e.end_s << "] at " << e.emitted_at_s);
  std::vector<ScoredEvent> scored;
  for (const KeywordEvent& e : events) {
    scored.push_back({e.label, e.start_s, e.end_s});
    CHECK(e.emitted_at_s >= e.end_s);  // decided once the word was heard
  }
  CheckKwsQuality(scored, truth);
}
