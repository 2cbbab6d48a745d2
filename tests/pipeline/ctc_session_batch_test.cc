// CtcSession in steps (Queue / Advance), as `auris serve` runs it: several
// sessions with different audio, fed in random chunks, their networks
// stepped together (nn::ModelStream::StepMany), give exactly the events each
// gives alone from one Accept of its whole audio — partials included, since
// the events do not depend on how the audio was cut.
#include <doctest/doctest.h>

#include <algorithm>
#include <array>
#include <memory>

#include "auris/audio/load.h"
#include "auris/core/rng.h"
#include "auris/pipeline/ctc_session.h"
#include "auris/pipeline/feature_config.h"
#include "test_support.h"

using namespace auris;
using namespace auris::pipeline;
using namespace auris::test;

namespace {

// Every field, exactly (doubles too: the same arithmetic must have run).
void CheckSame(const std::vector<LiveEvent>& got, const std::vector<LiveEvent>& want) {
  REQUIRE(got.size() == want.size());
  for (std::size_t i = 0; i < got.size(); ++i) {
    CAPTURE(i);
    CHECK(got[i].type == want[i].type);
    CHECK(got[i].text == want[i].text);
    CHECK(got[i].start_s == want[i].start_s);
    CHECK(got[i].end_s == want[i].end_s);
    REQUIRE(got[i].words.size() == want[i].words.size());
    for (std::size_t k = 0; k < got[i].words.size(); ++k) {
      CHECK(got[i].words[k].word == want[i].words[k].word);
      CHECK(got[i].words[k].start_s == want[i].words[k].start_s);
      CHECK(got[i].words[k].end_s == want[i].words[k].end_s);
      CHECK(got[i].words[k].conf == want[i].words[k].conf);
    }
  }
}

std::vector<LiveEvent> Alone(const Recognizer& rec, const std::vector<float>& audio) {
  CtcSession s(rec, {}, {.trailing_silence_ms = 500});
  std::vector<LiveEvent> events = s.Accept(audio.data(), static_cast<std::int64_t>(audio.size()));
  for (LiveEvent& e : s.Finish()) events.push_back(std::move(e));
  return events;
}

}  // namespace

TEST_CASE("CtcSession stepped with others (StepMany), audio in random chunks: the events of each alone") {
  const Recognizer rec = Recognizer::Load(SourceDir() + "/data/models/digits-ctc.safetensors");
  const std::vector<float> once =
      audio::LoadForFeatures(SourceDir() + "/data/samples/digit_string.wav", ModelAudioOptions(rec.SampleRate()));
  const auto silence = [&](double s) { return std::vector<float>(static_cast<std::size_t>(s * rec.SampleRate()), 0.0f); };
  // Different audio each: the string; after 0.31 s of silence; twice with a pause (two finals); quieter, cut short.
  std::vector<std::vector<float>> audio(4);
  audio[0] = once;
  audio[1] = silence(0.31);
  audio[1].insert(audio[1].end(), once.begin(), once.end());
  audio[2] = once;
  for (float x : silence(1.0)) audio[2].push_back(x);
  audio[2].insert(audio[2].end(), once.begin(), once.end());
  for (std::size_t i = 0; i < once.size() * 2 / 3; ++i) audio[3].push_back(0.5f * once[i]);

  std::vector<std::unique_ptr<CtcSession>> sessions;
  for (std::size_t i = 0; i < audio.size(); ++i)
    sessions.push_back(std::make_unique<CtcSession>(rec, TranscribeOptions{}, EndpointOptions{.trailing_silence_ms = 500}));
  std::vector<std::vector<LiveEvent>> events(audio.size());
  std::vector<std::size_t> at(audio.size(), 0);
  Rng rng(5);
  int together = 0;  // StepMany calls with more than one stream
  // Rounds: every session gets its next chunk (or its end), then all advance
  // in lockstep, the ready ones stepping together.
  for (bool more = true; more;) {
    more = false;
    for (std::size_t i = 0; i < audio.size(); ++i) {
      if (at[i] > audio[i].size()) continue;
      const std::size_t n = std::min<std::size_t>(audio[i].size() - at[i], 1 + rng.Index(3000));
      if (n > 0) sessions[i]->Queue(audio[i].data() + at[i], static_cast<std::int64_t>(n));
      else sessions[i]->QueueFinish();
      at[i] += n > 0 ? n : 1;  // past the end: finished
      more = true;
    }
    std::array<bool, 4> running{true, true, true, true};
    for (;;) {
      std::vector<nn::ModelStream*> nets;
      std::vector<const float*> frames;
      for (std::size_t i = 0; i < audio.size(); ++i) {
        if (!running[i]) continue;
        if (const float* f = sessions[i]->Advance(events[i])) {
          nets.push_back(&sessions[i]->Network());
          frames.push_back(f);
        } else {
          running[i] = false;
        }
      }
      if (nets.empty()) break;
      if (nets.size() > 1) ++together;
      nn::ModelStream::StepMany(nets, frames);
    }
  }
  CHECK(together > 100);
  for (std::size_t i = 0; i < audio.size(); ++i) {
    CAPTURE(i);
    const std::vector<LiveEvent> want = Alone(rec, audio[i]);
    CHECK(std::count_if(want.begin(), want.end(), [](const LiveEvent& e) { return e.type == LiveEvent::Type::kFinal; }) ==
          (i == 2 ? 2 : 1));
    CHECK(std::count_if(want.begin(), want.end(), [](const LiveEvent& e) { return e.type == LiveEvent::Type::kPartial; }) >= 2);
    CheckSame(events[i], want);
  }
}
