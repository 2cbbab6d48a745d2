// DecodeTranscript on hand-made frame posteriors: words from word or
// character units, times from the boundary head (Viterbi segmentation) or
// from the CTC spikes, confidences from the spike posteriors.
#include <doctest/doctest.h>

#include <cmath>

#include "auris/core/error.h"
#include "auris/pipeline/transcriber.h"

using namespace auris;
using namespace auris::pipeline;

namespace {

dsp::FrameOptions Framing() {  // frame t centred at 0.01 t + 0.0125 s
  dsp::FrameOptions f;
  f.sample_frequency_hz = 8000;
  return f;
}

// T x C log-probs: `spikes` (frame -> class, prob p) on a blank background of 0.9.
Matrix Spiky(int T, int C, const std::vector<std::pair<int, int>>& spikes, float p = 0.8f) {
  Matrix m = Matrix::Constant(T, C, std::log(0.1f / (C - 1)));
  m.col(0).setConstant(std::log(0.9f));
  for (auto [t, c] : spikes) {
    m.row(t).setConstant(std::log((1 - p) / (C - 1)));
    m(t, c) = std::log(p);
  }
  return m;
}

Matrix Boundaries(const std::vector<int>& classes) {
  Matrix m(static_cast<int>(classes.size()), 3);
  for (std::size_t t = 0; t < classes.size(); ++t)
    for (int c = 0; c < 3; ++c) m(static_cast<int>(t), c) = std::log(c == classes[t] ? 0.9f : 0.05f);
  return m;
}

}  // namespace

TEST_CASE("DecodeTranscript: word units, times from the boundary head") {
  const std::vector<std::string> labels = {"<blk>", "one", "two"};
  CtcFrames f;
  f.log_probs = Spiky(10, 3, {{3, 1}, {7, 2}});
  // one: frames 1-4, two: frames 5-8 (abutting).
  f.boundary_log_probs = Boundaries({0, 1, 2, 2, 2, 1, 2, 2, 2, 0});
  for (int beam : {0, 4}) {
    const Transcript t = DecodeTranscript(f, labels, false, Framing(), {.beam = beam});
    CAPTURE(beam);
    CHECK(t.text == "one two");
    REQUIRE(t.words.size() == 2);
    CHECK(t.words[0].word == "one");
    CHECK(t.words[0].start_s == doctest::Approx(0.0175));  // centre of frame 1 - half a shift
    CHECK(t.words[0].end_s == doctest::Approx(0.0575));    // centre of frame 4 + half a shift
    CHECK(t.words[1].start_s == doctest::Approx(0.0575));
    CHECK(t.words[1].end_s == doctest::Approx(0.0975));
    CHECK(t.words[0].conf == doctest::Approx(0.8));
  }
}

TEST_CASE("DecodeTranscript: without a boundary head, times are the spikes' frames") {
  const std::vector<std::string> labels = {"<blk>", "one", "two"};
  CtcFrames f;
  f.log_probs = Spiky(10, 3, {{3, 1}, {4, 1}, {7, 2}});
  const Transcript t = DecodeTranscript(f, labels, false, Framing(), {});
  REQUIRE(t.words.size() == 2);
  CHECK(t.words[0].start_s == doctest::Approx(0.0375));  // centre of frame 3 - half a shift
  CHECK(t.words[0].end_s == doctest::Approx(0.0575));  // the run covers frames 3-4
  CHECK(t.words[1].start_s == doctest::Approx(0.0775));
  CHECK(t.words[1].end_s == doctest::Approx(0.0875));
}

TEST_CASE("DecodeTranscript: character units join into words at '|', confidence is the geometric mean") {
  const std::vector<std::string> labels = {"<blk>", "a", "b", "|"};
  CtcFrames f;
  f.log_probs = Spiky(12, 4, {{1, 1}, {3, 2}, {5, 3}, {8, 1}});
  f.log_probs(3, 2) = std::log(0.5f);  // b fires at 0.5
  const Transcript t = DecodeTranscript(f, labels, true, Framing(), {});
  CHECK(t.text == "ab a");
  REQUIRE(t.words.size() == 2);
  CHECK(t.words[0].conf == doctest::Approx(std::sqrt(0.8 * 0.5)).epsilon(1e-5));
  CHECK(t.words[0].start_s == doctest::Approx(0.0175));  // a at frame 1 ...
  CHECK(t.words[0].end_s == doctest::Approx(0.0475));    // ... b at frame 3
}

TEST_CASE("DecodeTranscript: nothing spoken, and errors") {
  const std::vector<std::string> labels = {"<blk>", "one"};
  CtcFrames f;
  f.log_probs = Spiky(5, 2, {});
  f.boundary_log_probs = Boundaries({0, 0, 0, 0, 0});
  CHECK(DecodeTranscript(f, labels, false, Framing(), {}).words.empty());
  CHECK_THROWS_AS(DecodeTranscript(f, {"<blk>", "one", "two"}, false, Framing(), {}), Error);
  CHECK_THROWS_AS(DecodeTranscript(f, labels, false, Framing(), {.beam = -1}), Error);
}

TEST_CASE("ClampToAudio: word times end with the audio, in order, never overlapping") {
  Transcript t;
  t.words = {{"one", 0.1, 0.5, 0.9}, {"two", 0.6, 1.2, 0.9}, {"three", 1.25, 1.4, 0.9}};
  ClampToAudio(t, 1.0, Framing());  // 10 ms shift
  // The last word fired in the tail silence: one frame shift ending at 1.0.
  CHECK(t.words[2].start_s == doctest::Approx(0.99));
  CHECK(t.words[2].end_s == 1.0);
  CHECK(t.words[1].start_s == 0.6);
  CHECK(t.words[1].end_s == doctest::Approx(0.99));
  CHECK(t.words[0].start_s == 0.1);  // inside the audio: unchanged
  CHECK(t.words[0].end_s == 0.5);
  Transcript inside;
  inside.words = {{"one", 0.1, 0.5, 0.9}};
  ClampToAudio(inside, 2.0, Framing());
  CHECK(inside.words[0].start_s == 0.1);
  CHECK(inside.words[0].end_s == 0.5);
}
