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
}

namespace {

// First and last 10 ms block of `x` whose RMS is above 5% of the loudest
// block's (-26 dB): the spoken word inside an FSDD recording's margins.
std::pair<double, double> WordExtent(const std::vector<float>& x, double rate) {
  const std::size_t block = static_cast<std::size_t>(rate / 100);
  std::vector<double> rms;
  for (std::size_t i = 0; i + block <= x.size(); i += block) {
    double e = 0;
    for (std::size_t j = i; j < i + block; ++j) e += double(x[j]) * x[j];
    rms.push_back(std::sqrt(e / static_cast<double>(block)));
  }
  const double peak = *std::max_element(rms.begin(), rms.end());
  std::size_t first = 0, last = rms.size() - 1;
  while (rms[first] < 0.05 * peak) ++first;
  while (rms[last] < 0.05 * peak) --last;
  return {static_cast<double>(first) / 100, static_cast<double>(last + 1) / 100};
}

}  // namespace

TEST_CASE("KeywordSpotter: held-out FSDD digits among noise gaps: each once, right label and times") {
  const std::string model = SourceDir() + "/data/models/kws-digits.safetensors";
  AURIS_SKIP_IF(!std::filesystem::exists(model), model << " absent (recipes/kws-digits/run.sh --install)");
  AURIS_SKIP_IF(FsddDir().empty(), "FSDD not found");
  const Recognizer rec = Recognizer::Load(model);
  const double rate = rec.SampleRate();
  // FSDD takes 0-4 are held out of the spotter's training.
  const std::vector<std::pair<std::string, std::string>> words = {
      {"3_theo_0.wav", "three"}, {"7_jackson_1.wav", "seven"}, {"0_nicolas_2.wav", "zero"},
      {"5_lucas_3.wav", "five"}, {"9_george_4.wav", "nine"},   {"1_yweweler_0.wav", "one"}};
  Rng rng(5);
  std::vector<float> stream;
  auto gap = [&](double seconds) {  // white noise around -50 dBFS
    for (int i = 0; i < static_cast<int>(seconds * rate); ++i) stream.push_back(100.0f * static_cast<float>(rng.Gaussian()));
  };
  std::vector<std::tuple<std::string, double, double>> truth;
  gap(1.0);
  for (const auto& [file, label] : words) {
    const std::vector<float> x = audio::LoadForFeatures(FsddDir() + "/" + file, ModelAudioOptions(rate));
    const auto [s, e] = WordExtent(x, rate);
    const double at = static_cast<double>(stream.size()) / rate;
    truth.emplace_back(label, at + s, at + e);
    for (float v : x) stream.push_back(v + 100.0f * static_cast<float>(rng.Gaussian()));
    gap(1.5);
  }
  KeywordSpotter spotter(rec, {});
  std::vector<KeywordEvent> events;
  for (std::size_t at = 0; at < stream.size(); at += 800) {  // 100 ms chunks
    const auto n = static_cast<std::int64_t>(std::min<std::size_t>(800, stream.size() - at));
    for (KeywordEvent& e : spotter.Accept(stream.data() + at, n)) events.push_back(std::move(e));
  }
  for (KeywordEvent& e : spotter.Finish()) events.push_back(std::move(e));
  for (const KeywordEvent& e : events)
    MESSAGE(e.label << " " << e.score << " [" << e.start_s << ", " << e.end_s << "] at " << e.emitted_at_s);
  REQUIRE(events.size() == truth.size());
  for (std::size_t i = 0; i < truth.size(); ++i) {
    CAPTURE(i);
    CHECK(events[i].label == std::get<0>(truth[i]));
    CHECK(std::abs(events[i].start_s - std::get<1>(truth[i])) <= 0.1);
    CHECK(std::abs(events[i].end_s - std::get<2>(truth[i])) <= 0.1);
    CHECK(events[i].emitted_at_s >= events[i].end_s);
  }
}
