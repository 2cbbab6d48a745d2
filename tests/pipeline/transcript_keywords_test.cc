// Keywords from a CTC recogniser's final transcripts: which words become
// events (keyword list, aliases, confidence threshold), with the words' own
// times and scores; the bundled digit string through a live session gives
// exactly its hand-labelled keyword words; bad keyword lists are refused.
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

LiveEvent Final(std::vector<TimedWord> words) {
  LiveEvent e;
  e.type = LiveEvent::Type::kFinal;
  e.words = std::move(words);
  return e;
}

}  // namespace

TEST_CASE("TranscriptKeywords: keywords, aliases and the threshold select words; times and scores are theirs") {
  const TranscriptKeywords kw(An4(), {{"three", "oh=zero", "zero", "four"}, 0.3});
  const LiveEvent f = Final({{"three", 1.0, 1.2, 0.9},
                             {"thirteen", 1.5, 1.9, 0.99},  // not a keyword, though "three" is in it
                             {"oh", 2.0, 2.1, 0.4},
                             {"four", 2.5, 2.7, 0.2},  // below the threshold
                             {"zero", 3.0, 3.3, 0.3},  // at it
                             {"three", 4.0, 4.2, 0.8}});
  const std::vector<KeywordEvent> events = kw.Find(f, 5.5);
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
  CHECK(kw.Find(LiveEvent{}, 1.0).empty());
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
  const TranscriptKeywords kw(rec, {specs, 0.0});

  CtcSession session(rec, {}, {.trailing_silence_ms = 500});
  std::vector<KeywordEvent> events;
  auto take = [&](const std::vector<LiveEvent>& live) {
    for (const LiveEvent& e : live)
      if (e.type == LiveEvent::Type::kFinal)
        for (KeywordEvent& k : kw.Find(e, session.SecondsSeen())) events.push_back(std::move(k));
  };
  take(session.Accept(audio.data(), static_cast<std::int64_t>(audio.size())));
  take(session.Finish());

  std::vector<SampleWord> expected;
  for (const SampleWord& w : truth)
    for (const std::string& s : specs)
      if (s.substr(0, s.find('=')) == w.word) expected.push_back(w);
  REQUIRE(events.size() == expected.size());
  for (std::size_t i = 0; i < events.size(); ++i) {
    CAPTURE(i);
    CHECK(events[i].label == (expected[i].word == renamed ? std::string("first") : expected[i].word));
    CHECK(std::abs(events[i].start_s - expected[i].start_s) <= 0.1);
    CHECK(std::abs(events[i].end_s - expected[i].end_s) <= 0.1);
    CHECK(events[i].score > 0.5f);
    CHECK(events[i].emitted_at_s >= events[i].end_s);
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
