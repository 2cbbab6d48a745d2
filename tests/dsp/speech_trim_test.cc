// Speech trimming (dsp/speech_trim.h) on signals whose block energies are
// known by construction: a constant-magnitude square wave of amplitude a has
// mean square a^2 in every block, so its dB, floor and peak are hand-computed.
#include <doctest/doctest.h>

#include <vector>

#include "auris/core/error.h"
#include "auris/dsp/speech_trim.h"

using namespace auris;
using namespace auris::dsp;

namespace {

constexpr double kRate = 8000;  // 80-sample blocks

// Appends `seconds` of a +-a square wave (mean square a^2 in each block).
void Add(std::vector<float>& x, double seconds, float a) {
  const auto n = static_cast<std::size_t>(seconds * kRate);
  for (std::size_t i = 0; i < n; ++i) x.push_back(i % 2 ? -a : a);
}

SampleSpan Span(const std::vector<float>& x, const SpeechTrimOptions& o = {}) {
  return FindSpeechSpan(x.data(), static_cast<std::int64_t>(x.size()), kRate, o);
}

}  // namespace

TEST_CASE("speech trimming: a word in room noise keeps the margins of noise") {
  // 0.4 s at 20 dB (a = 10), 0.2 s at 60 dB (a = 1000), 0.4 s at 20 dB: the
  // floor is 20 dB, the peak 60 dB; threshold max(20 + 15, 60 - 40) = 35 dB:
  // blocks 40..59 are speech; 200 ms = 1600 samples either side.
  std::vector<float> x;
  Add(x, 0.4, 10), Add(x, 0.2, 1000), Add(x, 0.4, 10);
  const SampleSpan s = Span(x);
  CHECK(s.begin == 3200 - 1600);
  CHECK(s.end == 4800 + 1600);
  SpeechTrimOptions o;
  o.margin_ms = 0;
  CHECK(Span(x, o).begin == 3200);
  CHECK(Span(x, o).end == 4800);
  // A floor 50 dB above the background cuts everything: threshold 70 > 60 dB.
  o.above_floor_db = 50;
  CHECK(Span(x, o).begin == 0);
  CHECK(Span(x, o).end == 8000);
}

TEST_CASE("speech trimming: the margin stops at digital silence") {
  // Zeros, a quiet lead-in (a = 2: 6 dB, live), the word, zeros. Floor: the
  // zeros (-100 dB); threshold max(-85, 20) = 20 dB: only the word is speech.
  // Its 200-ms margin reaches back over the 50-ms lead-in into the zeros:
  // clipped to the lead-in's start; after the word, clipped to its end.
  std::vector<float> x;
  Add(x, 0.5, 0), Add(x, 0.05, 2), Add(x, 0.2, 1000), Add(x, 0.5, 0);
  const SampleSpan s = Span(x);
  CHECK(s.begin == 4000);
  CHECK(s.end == 4400 + 1600);
}

TEST_CASE("speech trimming: the peak bound keeps quiet speech next to loud speech") {
  // Background 0 dB (a = 1); a word at 40 dB and one at 86.0 dB (a = 20000):
  // threshold max(0 + 15, 86.0 - 40) = 46.0 dB, so the 40-dB word is dropped;
  // with below_peak_db 50 (threshold 36.0 dB) both words are kept.
  std::vector<float> x;
  Add(x, 0.3, 1), Add(x, 0.1, 100), Add(x, 0.3, 1), Add(x, 0.1, 20000), Add(x, 0.3, 1);
  SpeechTrimOptions o;
  o.margin_ms = 0;
  CHECK(Span(x, o).begin == 5600);
  CHECK(Span(x, o).end == 6400);
  o.below_peak_db = 50;
  CHECK(Span(x, o).begin == 2400);
  CHECK(Span(x, o).end == 6400);
}

TEST_CASE("speech trimming: no speech, too short, or all below one LSB: the whole input") {
  std::vector<float> flat;
  Add(flat, 0.5, 30);  // every block at the floor
  CHECK(Span(flat).begin == 0);
  CHECK(Span(flat).end == 4000);
  const std::vector<float> short_input(79, 1000.0f);  // under one 80-sample block
  CHECK(Span(short_input).end == 79);
  std::vector<float> faint;
  Add(faint, 0.3, 0), Add(faint, 0.1, 0.5f), Add(faint, 0.3, 0);  // a "word" at -6 dB: not live
  CHECK(Span(faint).begin == 0);
  CHECK(Span(faint).end == 5600);
  CHECK(Span({}).end == 0);
}

TEST_CASE("speech trimming: options are validated") {
  SpeechTrimOptions o;
  o.below_peak_db = 0;
  CHECK_THROWS_AS(o.Validate(), Error);
  o = {};
  o.margin_ms = -1;
  CHECK_THROWS_AS(o.Validate(), Error);
  o = {};
  o.above_floor_db = -3;
  CHECK_THROWS_AS(o.Validate(), Error);
  CHECK_NOTHROW(SpeechTrimOptions{}.Validate());
}
