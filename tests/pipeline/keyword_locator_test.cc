// KeywordLocator on a hand-made energy track (spans worked out by hand):
// the loud run around the attention anchor, gaps bridged or not.
#include <doctest/doctest.h>

#include <vector>

#include "auris/pipeline/keyword_locator.h"

using namespace auris::pipeline;

TEST_CASE("KeywordLocator: the loud run around the attention anchor, short gaps bridged") {
  // 40 frames at -60 dB; a word at 10-17 with a quiet frame at 13 (a stop
  // closure); other speech at 28-31, 10 quiet frames after the word.
  std::vector<float> energy(40, -60.0f);
  for (int t = 10; t <= 17; ++t) energy[t] = -20;
  energy[13] = -55;
  for (int t = 28; t <= 31; ++t) energy[t] = -15;  // the peak: -15; loud >= -60 + 0.25 * 45 = -48.75
  std::vector<float> scratch(40);
  KeywordLocatorOptions o;  // rise 0.25, gap 8
  std::vector<float> att(40, 0.0f);
  att[15] = 3;  // anchor in the word
  FrameSpan s = LocateKeyword(att, energy, o, scratch);
  CHECK(s.first == 10);
  CHECK(s.last == 17);
  att[15] = 0;
  att[21] = 3;  // anchor on a quiet frame: nearest loud one is 17
  s = LocateKeyword(att, energy, o, scratch);
  CHECK(s.first == 10);
  CHECK(s.last == 17);
  att[21] = 0;
  att[29] = 3;  // the other speech
  s = LocateKeyword(att, energy, o, scratch);
  CHECK(s.first == 28);
  CHECK(s.last == 31);
  // Without attention the loudest frame is the anchor; a larger gap allowance merges both.
  s = LocateKeyword({}, energy, {.rise_fraction = 0.25, .max_gap_frames = 10}, scratch);
  CHECK(s.first == 10);
  CHECK(s.last == 31);
  // Without a gap allowance the closure splits the word.
  att[29] = 0;
  att[11] = 3;
  s = LocateKeyword(att, energy, {.rise_fraction = 0.25, .max_gap_frames = 0}, scratch);
  CHECK(s.first == 10);
  CHECK(s.last == 12);
}
