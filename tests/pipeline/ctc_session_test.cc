// Continuous transcription: the bundled digit string, a second of silence and
// the string again, fed in random chunks, gives two finals (the endpoint rule
// splits at the pause) with the right text and session word times, and
// partials that grow into each final.
#include <doctest/doctest.h>


#include "auris/audio/load.h"
#include "auris/core/error.h"
#include "auris/core/rng.h"
#include "auris/pipeline/ctc_session.h"
#include "auris/pipeline/feature_config.h"
#include "test_support.h"

using namespace auris;
using namespace auris::pipeline;
using namespace auris::test;

TEST_CASE("CtcSession: two utterances split at the pause, texts and session times") {
  const Recognizer rec = Recognizer::Load(SourceDir() + "/data/models/digits-ctc.safetensors");
  const std::vector<float> once =
      audio::LoadForFeatures(SourceDir() + "/data/samples/digit_string.wav", ModelAudioOptions(rec.SampleRate()));
  const double gap_s = 1.0;
  std::vector<float> audio = once;
  audio.resize(audio.size() + static_cast<std::size_t>(gap_s * rec.SampleRate()), 0.0f);
  audio.insert(audio.end(), once.begin(), once.end());
  const std::vector<SampleWord> truth = SampleWords({0.0, once.size() / rec.SampleRate() + gap_s});  // both copies
  const std::string expected = SampleText();

  CtcSession session(rec, {}, {.trailing_silence_ms = 500});
  Rng rng(9);
  std::vector<LiveEvent> events;
  for (std::size_t at = 0; at < audio.size();) {
    const std::size_t n = std::min<std::size_t>(audio.size() - at, 1 + rng.Index(2000));
    for (LiveEvent& e : session.Accept(audio.data() + at, static_cast<std::int64_t>(n))) events.push_back(std::move(e));
    at += n;
  }
  for (LiveEvent& e : session.Finish()) events.push_back(std::move(e));

  std::vector<const LiveEvent*> finals;
  std::string partial;
  for (const LiveEvent& e : events) {
    if (e.type == LiveEvent::Type::kPartial) {
      CHECK(e.text.starts_with(partial));  // grows within an utterance
      partial = e.text;
    } else {
      CHECK(e.text == partial);  // the final is what the partials grew into
      partial.clear();
      finals.push_back(&e);
    }
  }
  REQUIRE(finals.size() == 2);
  std::size_t k = 0;
  for (const LiveEvent* f : finals) {
    CHECK(f->text == expected);
    for (const TimedWord& w : f->words) {
      REQUIRE(k < truth.size());
      CAPTURE(k);
      CHECK(w.word == truth[k].word);
      CHECK(std::abs(w.start_s - truth[k].start_s) <= 0.1);
      CHECK(std::abs(w.end_s - truth[k].end_s) <= 0.1);
      ++k;
    }
  }
  CHECK(k == truth.size());
  CHECK(session.SecondsSeen() == doctest::Approx(audio.size() / rec.SampleRate()));
}

TEST_CASE("CtcSession: bad endpoint options are refused") {
  const Recognizer rec = Recognizer::Load(SourceDir() + "/data/models/digits-ctc.safetensors");
  CHECK_THROWS_WITH_AS(CtcSession(rec, {}, {.trailing_silence_ms = 0}), doctest::Contains("--endpoint-ms"), Error);
}
