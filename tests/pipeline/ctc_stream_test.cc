// Streaming == batch for CTC: the bundled digit string fed to a CtcStream in
// random chunk sizes gives the same frame outputs, partial and final text
// and word times as batch transcription of the whole file.
#include <doctest/doctest.h>

#include <algorithm>

#include <nlohmann/json.hpp>

#include "auris/audio/load.h"
#include "auris/core/error.h"
#include "auris/core/rng.h"
#include "auris/decode/ctc_prefix_beam.h"
#include "auris/pipeline/ctc_stream.h"
#include "auris/modelfile/model_file.h"
#include "auris/pipeline/feature_config.h"
#include "test_support.h"
#include "tolerances.h"

using namespace auris;
using namespace auris::pipeline;
using namespace auris::test;

TEST_CASE("CtcStream: random chunk sizes give the batch frames, text and word times") {
  const Recognizer rec = Recognizer::Load(SourceDir() + "/data/models/digits-ctc.safetensors");
  const std::string wav = SourceDir() + "/data/samples/digit_string.wav";
  const std::vector<float> audio = audio::LoadForFeatures(wav, ModelAudioOptions(rec.SampleRate()));
  const Matrix features = rec.ComputeFeatures(audio);
  const CtcFrames batch = rec.CtcOutputs(features);
  for (int beam : {0, 8}) {
    const Transcript want = Transcribe(rec, features, static_cast<double>(audio.size()) / rec.SampleRate(), {.beam = beam});
    REQUIRE(want.words.size() == 6);
    for (std::uint64_t seed : {1, 2, 3}) {
      CAPTURE(beam);
      CAPTURE(seed);
      CtcStream stream(rec, {.beam = beam});
      Rng rng(seed);
      std::size_t at = 0;
      std::string partial;
      while (at < audio.size()) {
        const std::size_t n = std::min<std::size_t>(audio.size() - at, 1 + rng.Index(seed == 3 ? 40 : 3000));
        stream.AcceptWaveform(audio.data() + at, static_cast<std::int64_t>(n));
        at += n;
        // Greedy partials only grow (its labels are final once emitted); the
        // beam's best prefix may be revised.
        const std::string now = stream.PartialText();
        if (beam == 0) CHECK(now.starts_with(partial));
        partial = now;
      }
      stream.InputFinished();
      const CtcFrames got = stream.Frames();
      REQUIRE(got.log_probs.rows() == batch.log_probs.rows());
      CHECK((got.log_probs - batch.log_probs).cwiseAbs().maxCoeff() <= tol::kStreamLogProbAbs);
      CHECK((got.boundary_log_probs - batch.boundary_log_probs).cwiseAbs().maxCoeff() <= tol::kStreamLogProbAbs);
      const Transcript t = stream.Result();
      CHECK(t.text == want.text);
      CHECK(stream.PartialText() == want.text);  // without an LM the last partial is the final text
      REQUIRE(t.words.size() == want.words.size());
      for (std::size_t w = 0; w < t.words.size(); ++w) {
        CHECK(t.words[w].start_s == want.words[w].start_s);
        CHECK(t.words[w].end_s == want.words[w].end_s);
        CHECK(t.words[w].conf == doctest::Approx(want.words[w].conf).epsilon(1e-4));
      }
    }
  }
}

// A low-frame-rate model (nn::Model "stack"): the digit model's description
// and metadata with 3 frames per step and random weights, so its output is
// arbitrary but must still be the same streamed and in batch.
TEST_CASE("CtcStream: a stacking model streams in random chunks as in batch, one output per 3 frames") {
  modelfile::LoadedModel loaded = modelfile::LoadModel(SourceDir() + "/data/models/digits-ctc.safetensors");
  nlohmann::json arch = nlohmann::json::parse(loaded.model->Architecture());
  arch["stack"] = 3;
  loaded.model = std::make_unique<nn::Model>(arch.dump(), 7);
  const Recognizer rec(std::move(loaded));
  CHECK(rec.OutputFraming().WindowShift() == 3 * rec.Features().features.Frame().WindowShift());
  const std::vector<float> audio =
      audio::LoadForFeatures(SourceDir() + "/data/samples/digit_string.wav", ModelAudioOptions(rec.SampleRate()));
  const Matrix features = rec.ComputeFeatures(audio);
  const CtcFrames batch = rec.CtcOutputs(features);
  CHECK(batch.log_probs.rows() == features.rows() / 3);
  const Transcript want = Transcribe(rec, features, static_cast<double>(audio.size()) / rec.SampleRate(), {});
  REQUIRE(!want.words.empty());
  Rng rng(4);
  CtcStream stream(rec, {});
  for (std::size_t at = 0; at < audio.size();) {
    const std::size_t n = std::min<std::size_t>(audio.size() - at, 1 + rng.Index(500));
    stream.AcceptWaveform(audio.data() + at, static_cast<std::int64_t>(n));
    at += n;
    CHECK(stream.FramesDone() == stream.Frames().log_probs.rows());
  }
  stream.InputFinished();
  const CtcFrames got = stream.Frames();
  REQUIRE(got.log_probs.rows() == batch.log_probs.rows());
  CHECK((got.log_probs - batch.log_probs).cwiseAbs().maxCoeff() <= tol::kStreamLogProbAbs);
  const Transcript t = stream.Result();
  CHECK(t.text == want.text);
  REQUIRE(t.words.size() == want.words.size());
  for (std::size_t w = 0; w < t.words.size(); ++w) {
    CHECK(t.words[w].start_s == want.words[w].start_s);
    CHECK(t.words[w].end_s == want.words[w].end_s);
  }
}

TEST_CASE("CtcStream: models that cannot stream are refused by name") {
  const Recognizer classifier = Recognizer::Load(SourceDir() + "/data/models/digits.safetensors");
  CHECK_THROWS_WITH_AS(CtcStream(classifier, {}), doctest::Contains("CTC model"), Error);
  const Recognizer rec = Recognizer::Load(SourceDir() + "/data/models/digits-ctc.safetensors");
  CtcStream stream(rec, {});
  stream.InputFinished();
  CHECK(stream.Result().words.empty());
  const float x[4] = {};
  CHECK_THROWS_AS(stream.AcceptWaveform(x, 4), Error);
}

// The AN4 model decodes with its LM by default (beam search with shallow
// fusion): the stream runs the beam frame by frame, and its partials and
// final transcript are the beam's, equal to batch decoding with the LM.
TEST_CASE("CtcStream: beam search with the model's LM, frame by frame, equals batch") {
  AURIS_SKIP_IF(An4Dir().empty(), "AN4 not found at ../shared/data/an4");
  const Recognizer rec = Recognizer::Load(SourceDir() + "/data/models/an4.safetensors");
  const TranscribeOptions& decoding = rec.Decoding();
  REQUIRE(decoding.lm != nullptr);
  REQUIRE(decoding.beam > 0);
  int differs_from_greedy = 0;
  // cen5: the LM turns the characters' "... t ih i l l s" into "pleasant hills".
  for (const char* file : {"fcaw/an406-fcaw-b.wav", "fcaw/cen5-fcaw-b.wav", "mmxg/an441-mmxg-b.wav"}) {
    CAPTURE(file);
    const std::string wav = An4Dir() + "/wav/an4test_clstk/" + file;
    const std::vector<float> audio = audio::LoadForFeatures(wav, ModelAudioOptions(rec.SampleRate()));
    const Matrix features = rec.ComputeFeatures(audio);
    const double audio_s = static_cast<double>(audio.size()) / rec.SampleRate();
    const Transcript want = Transcribe(rec, features, audio_s, decoding);
    const Transcript greedy = Transcribe(rec, features, audio_s, {});
    REQUIRE(!want.words.empty());
    CtcStream stream(rec, decoding);
    for (std::size_t at = 0; at < audio.size(); at += 1000)
      stream.AcceptWaveform(audio.data() + at, static_cast<std::int64_t>(std::min<std::size_t>(1000, audio.size() - at)));
    // Before the end: the best prefix of a beam over the frames so far, by a
    // decoder of its own over the stream's frame outputs.
    const Matrix so_far = stream.Frames().log_probs;
    decode::CtcPrefixBeamDecoder decoder(static_cast<int>(so_far.cols()), BeamOptions(decoding), decoding.lm);
    for (Eigen::Index f = 0; f < so_far.rows(); ++f) decoder.AcceptFrame(so_far.row(f).data());
    CHECK(stream.PartialText() ==
          JoinWords(GroupWords(decoder.Hypotheses().front().labels, rec.Labels(), rec.CharUnits())));
    stream.InputFinished();
    const Transcript t = stream.Result();
    CHECK(t.text == want.text);
    REQUIRE(t.words.size() == want.words.size());
    for (std::size_t w = 0; w < t.words.size(); ++w) {
      CHECK(t.words[w].start_s == doctest::Approx(want.words[w].start_s).epsilon(1e-9));
      CHECK(t.words[w].end_s == doctest::Approx(want.words[w].end_s).epsilon(1e-9));
    }
    differs_from_greedy += want.text != greedy.text;
  }
  CHECK(differs_from_greedy > 0);  // the LM changed something: these checks saw it
}

namespace {

// Feeds `audio` in 100-ms chunks; after every chunk the stable words must be
// a prefix of the final transcript's words. Returns how many chunks had
// stable words before the input ended.
int CheckStableWordsArePrefixes(const Recognizer& rec, const TranscribeOptions& decoding,
                                const std::vector<float>& audio) {
  CtcStream stream(rec, decoding);
  std::vector<std::vector<std::string>> seen;
  const std::size_t chunk = static_cast<std::size_t>(rec.SampleRate() / 10);
  std::size_t last_count = 0;
  for (std::size_t at = 0; at < audio.size(); at += chunk) {
    stream.AcceptWaveform(audio.data() + at, static_cast<std::int64_t>(std::min(chunk, audio.size() - at)));
    const std::size_t count = stream.StableWordCount();
    CHECK(count >= last_count);  // a word once certain stays certain
    last_count = count;
    const Transcript stable = stream.StableWords();
    REQUIRE(stable.words.size() == count);
    std::vector<std::string> words;
    for (const TimedWord& w : stable.words) words.push_back(w.word);
    seen.push_back(words);
  }
  stream.InputFinished();
  const Transcript final_t = stream.Result();
  int early = 0;
  for (const std::vector<std::string>& words : seen) {
    REQUIRE(words.size() <= final_t.words.size());
    for (std::size_t w = 0; w < words.size(); ++w) CHECK(words[w] == final_t.words[w].word);
    early += !words.empty();
  }
  return early;
}

}  // namespace

TEST_CASE("CtcStream: stable words are a prefix of the final transcript (greedy word units, beam + LM chars)") {
  const Recognizer digits = Recognizer::Load(SourceDir() + "/data/models/digits-ctc.safetensors");
  const std::vector<float> sample =
      audio::LoadForFeatures(SourceDir() + "/data/samples/digit_string.wav", ModelAudioOptions(digits.SampleRate()));
  CHECK(CheckStableWordsArePrefixes(digits, {}, sample) > 0);

  AURIS_SKIP_IF(An4Dir().empty(), "AN4 not found at ../shared/data/an4");
  const Recognizer an4 = Recognizer::Load(SourceDir() + "/data/models/an4.safetensors");
  REQUIRE(an4.Decoding().beam > 0);
  int early = 0;
  for (const char* file : {"fcaw/an406-fcaw-b.wav", "fcaw/an408-fcaw-b.wav", "mmxg/an441-mmxg-b.wav"}) {
    CAPTURE(file);
    const std::string wav = An4Dir() + "/wav/an4test_clstk/" + file;
    early += CheckStableWordsArePrefixes(an4, an4.Decoding(),
                                         audio::LoadForFeatures(wav, ModelAudioOptions(an4.SampleRate())));
  }
  CHECK(early > 0);
}
