// Keywords from a CTC recogniser's transcripts: which words become events
// (keyword list, aliases, confidence threshold), with the words' own times
// and scores, each word once (stable words, then the final's); the bundled
// digit string through a live session gives exactly its hand-labelled
// keyword words, most of them before the utterance ends; bad keyword lists
// are refused.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>

#include "auris/audio/load.h"
#include "auris/core/error.h"
#include "auris/pipeline/feature_config.h"
#include "auris/pipeline/transcript_keywords.h"
#include "test_support.h"

using namespace auris;
using namespace auris::pipeline;
using namespace auris::test;

namespace {

const Recognizer& DigitsCtc() {
  static const Recognizer rec = Recognizer::Load(SourceDir() + "/data/models/digits-ctc.safetensors");
  return rec;
}

const Recognizer& An4() {
  static const Recognizer rec = Recognizer::Load(SourceDir() + "/data/models/an4.safetensors");
  return rec;
}

}  // namespace

TEST_CASE("TranscriptKeywords: keywords, aliases and the threshold select words, with their times and scores") {
  TranscriptKeywords kw(An4(), {{"three", "oh=zero", "zero", "four"}, 0.3});
  const std::vector<TimedWord> words = {{"three", 1.0, 1.2, 0.9},
                                        {"thirteen", 1.5, 1.9, 0.99},  // not a keyword, though "three" is in it
                                        {"oh", 2.0, 2.1, 0.4},
                                        {"four", 2.5, 2.7, 0.2},  // below the threshold
                                        {"zero", 3.0, 3.3, 0.3},  // at it
                                        {"three", 4.0, 4.2, 0.8}};
  const std::vector<KeywordEvent> events = kw.Final(words, 5.5);
  REQUIRE(events.size() == 4);
  const char* labels[] = {"three", "zero", "zero", "three"};
  const int indices[] = {0, 1, 1, 0};  // distinct labels in order of first mention
  const double starts[] = {1.0, 2.0, 3.0, 4.0}, ends[] = {1.2, 2.1, 3.3, 4.2};
  const float scores[] = {0.9f, 0.4f, 0.3f, 0.8f};
  for (std::size_t i = 0; i < events.size(); ++i) {
    CAPTURE(i);
    CHECK(events[i].label == labels[i]);
    CHECK(events[i].label_index == indices[i]);
    CHECK(events[i].start_s == starts[i]);
    CHECK(events[i].end_s == ends[i]);
    CHECK(events[i].score == scores[i]);
    CHECK(events[i].emitted_at_s == 5.5);
  }
  CHECK(kw.WordsSeen() == 0);  // the next utterance
  CHECK(kw.Final({}, 6.0).empty());
}

TEST_CASE("TranscriptKeywords: each word of an utterance is looked at once, stable words first") {
  TranscriptKeywords kw(An4(), {{"one", "two"}, 0.0});
  const TimedWord one{"one", 1.0, 1.2, 0.9}, a{"a", 1.3, 1.4, 0.9}, two{"two", 1.5, 1.7, 0.9};
  std::vector<KeywordEvent> e = kw.Update({one}, 1.3);
  REQUIRE(e.size() == 1);
  CHECK(e[0].label == "one");
  CHECK(e[0].emitted_at_s == 1.3);
  CHECK(kw.WordsSeen() == 1);
  CHECK(kw.Update({one}, 1.4).empty());  // not again
  CHECK(kw.Update({one, a}, 1.5).empty());
  e = kw.Final({one, a, two, one}, 2.0);  // the final adds "two" and "one"
  REQUIRE(e.size() == 2);
  CHECK(e[0].label == "two");
  CHECK(e[1].label == "one");
  CHECK(e[1].start_s == 1.0);
  e = kw.Update({two}, 3.0);  // a new utterance starts from its first word
  REQUIRE(e.size() == 1);
  CHECK(e[0].label == "two");
}

TEST_CASE("TranscriptKeywords: a live session over the bundled digit string reports its keyword words") {
  const Recognizer& rec = DigitsCtc();
  const std::vector<float> audio =
      audio::LoadForFeatures(SourceDir() + "/data/samples/digit_string.wav", ModelAudioOptions(rec.SampleRate()));
  const std::vector<SampleWord> truth = SampleWords();
  // Every other distinct word of the string as a keyword, one under another label.
  std::vector<std::string> specs;
  for (const SampleWord& w : truth)
    if (std::find(specs.begin(), specs.end(), w.word) == specs.end()) specs.push_back(w.word);
  REQUIRE(specs.size() >= 2);
  specs.erase(specs.begin() + 1);
  const std::string renamed = specs[0];
  specs[0] += "=first";
  TranscriptKeywords kw(rec, {specs, 0.0});

  CtcSession session(rec, {}, {.trailing_silence_ms = 500});
  std::vector<KeywordEvent> events;
  std::size_t early = 0;  // events before the final
  auto take = [&](const std::vector<LiveEvent>& live) {
    const bool final = std::any_of(live.begin(), live.end(), [](const LiveEvent& e) { return e.type == LiveEvent::Type::kFinal; });
    for (KeywordEvent& k : kw.After(live, session)) {
      early += !final;
      events.push_back(std::move(k));
    }
  };
  // In 100-ms chunks, as a live source delivers them.
  const std::size_t chunk = static_cast<std::size_t>(rec.SampleRate() / 10);
  for (std::size_t at = 0; at < audio.size(); at += chunk)
    take(session.Accept(audio.data() + at, static_cast<std::int64_t>(std::min(chunk, audio.size() - at))));
  take(session.Finish());
  CHECK(early >= 1);

  std::vector<SampleWord> expected;
  for (const SampleWord& w : truth)
    for (const std::string& s : specs)
      if (s.substr(0, s.find('=')) == w.word) expected.push_back(w);
  REQUIRE(events.size() == expected.size());
  for (std::size_t i = 0; i < events.size(); ++i) {
    CAPTURE(i);
    CHECK(events[i].label == (expected[i].word == renamed ? std::string("first") : expected[i].word));
    CHECK(std::abs(events[i].start_s - expected[i].start_s) <= 0.1);
    // A word-unit label fires inside its word, so the event can come before
    // the word ends: its end is where the word had got to by then.
    CHECK(events[i].end_s > events[i].start_s);
    CHECK(events[i].end_s <= expected[i].end_s + 0.1);
    CHECK(events[i].emitted_at_s >= events[i].end_s);
    CHECK(events[i].emitted_at_s <= expected[i].end_s + 0.1);  // not at the pause after the string
    CHECK(events[i].score > 0.5f);
  }
}

TEST_CASE("TranscriptKeywords: bad keyword lists and models are refused") {
  auto refused = [](const Recognizer& rec, std::vector<std::string> specs, double threshold, const char* what) {
    CAPTURE(what);
    CHECK_THROWS_AS(TranscriptKeywords(rec, {std::move(specs), threshold}), Error);
  };
  refused(An4(), {}, 0, "no keywords");
  refused(An4(), {"=zero"}, 0, "no word");
  refused(An4(), {"oh="}, 0, "no label");
  refused(An4(), {"oh=zero=0"}, 0, "two '='");
  refused(An4(), {"one two"}, 0, "two words");
  refused(An4(), {"one", "one=1"}, 0, "a word twice");
  refused(An4(), {"one"}, 1.5, "threshold over 1");
  refused(An4(), {"one"}, -0.1, "threshold under 0");
  refused(An4(), {"ONE"}, 0, "characters the model does not output");
  refused(An4(), {"a|b"}, 0, "the word separator");
  refused(DigitsCtc(), {"ten"}, 0, "not a word of a word-unit model");
  refused(Recognizer::Load(SourceDir() + "/data/models/digits.safetensors"), {"one"}, 0, "a classifier");
  CHECK_NOTHROW(TranscriptKeywords(DigitsCtc(), {{"one", "oh=zero"}, 1.0}) );
}
