// Streaming == batch for classifiers: real audio fed to a ClassifierStream
// in random chunk sizes gives Recognizer::Classify's posteriors on the batch
// features, and after every frame the pooled logits of the network's batch
// Forward on that prefix; models that cannot stream are refused by name.
#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>

#include "auris/core/error.h"
#include "auris/core/rng.h"
#include "auris/pipeline/classifier_stream.h"
#include "stream_classifier.h"
#include "tolerances.h"

using namespace auris;
using namespace auris::pipeline;
using namespace auris::test;

namespace {

const std::vector<std::string> kLabels = {"zero", "one", "two",   "three", "four",        "five",
                                          "six",  "seven", "eight", "nine",  "_background_"};

std::vector<std::string> TestFiles() {
  std::vector<std::string> files = {SourceDir() + "/data/samples/three_one_four.wav",
                                    SourceDir() + "/data/samples/seven.wav"};
  if (!FsddDir().empty())  // 8 kHz recordings: resampled to the model's 16 kHz
    for (const char* f : {"0_george_0.wav", "9_yweweler_3.wav"}) files.push_back(FsddDir() + "/" + f);
  return files;
}

}  // namespace

TEST_CASE("ClassifierStream: random chunk sizes give Classify's posteriors and the prefix outputs") {
  const Recognizer rec = StreamableClassifier(kLabels);
  for (const std::string& file : TestFiles()) {
    CAPTURE(file);
    REQUIRE(std::filesystem::exists(file));
    const std::vector<float> audio = audio::LoadForFeatures(file, ModelAudioOptions(rec.SampleRate()));
    const Matrix features = rec.ComputeFeatures(audio);
    const Classification want = rec.Classify(features);
    for (std::uint64_t seed : {1, 2}) {
      CAPTURE(seed);
      ClassifierStream stream(rec);
      Rng rng(seed);
      for (std::size_t at = 0; at < audio.size();) {
        const std::size_t n = std::min<std::size_t>(audio.size() - at, 1 + rng.Index(seed == 1 ? 50 : 4000));
        stream.AcceptWaveform(audio.data() + at, static_cast<std::int64_t>(n));
        at += n;
      }
      stream.InputFinished();
      REQUIRE(stream.FramesDone() == features.rows());
      const std::vector<float>& got = stream.Current();
      REQUIRE(got.size() == want.probs.size());
      double err = 0;
      for (std::size_t k = 0; k < got.size(); ++k) err = std::max(err, std::abs(double(got[k]) - want.probs[k]));
      CHECK_MESSAGE(err <= tol::kStreamProbAbs, "max |stream - Classify| = " << err);
      CHECK(std::max_element(got.begin(), got.end()) - got.begin() == want.best);
      // Each frame's pooled logits equal batch Forward on the prefix so far.
      const Matrix per_frame = stream.FrameLogits();
      REQUIRE(per_frame.rows() == features.rows());
      for (Eigen::Index len : {Eigen::Index{1}, Eigen::Index{7}, features.rows() / 2, features.rows()}) {
        CAPTURE(len);
        const Matrix prefix = rec.Outputs(features.topRows(len));
        const double e = (per_frame.row(len - 1) - prefix.row(0)).cwiseAbs().maxCoeff();
        CHECK_MESSAGE(e <= tol::kStreamLogitAbs, "max |step logits - Forward(prefix)| = " << e);
      }
    }
  }
}

TEST_CASE("ClassifierStream: the prefix outputs really change with the prefix") {
  // Guards the prefix comparison above: the logits after 7 frames differ from
  // the final ones by far more than the tolerance.
  const Recognizer rec = StreamableClassifier(kLabels);
  const std::vector<float> audio = audio::LoadForFeatures(SourceDir() + "/data/samples/three_one_four.wav",
                                                          ModelAudioOptions(rec.SampleRate()));
  ClassifierStream stream(rec);
  stream.AcceptWaveform(audio.data(), static_cast<std::int64_t>(audio.size()));
  const Matrix logits = stream.FrameLogits();
  CHECK((logits.row(6) - logits.bottomRows(1)).cwiseAbs().maxCoeff() > 100 * tol::kStreamLogitAbs);
}

TEST_CASE("ClassifierStream: models that cannot stream are refused by name") {
  const Recognizer shipped = Recognizer::Load(SourceDir() + "/data/models/digits.safetensors");
  CHECK_THROWS_WITH_AS(ClassifierStream{shipped}, doctest::Contains("utterance CMVN, which looks ahead"), Error);
  const Recognizer ctc = Recognizer::Load(SourceDir() + "/data/models/digits-ctc.safetensors");
  CHECK_THROWS_WITH_AS(ClassifierStream{ctc}, doctest::Contains("classification model"), Error);
  const Recognizer rec = StreamableClassifier(kLabels);
  ClassifierStream stream(rec);
  CHECK(stream.Current() == std::vector<float>(kLabels.size(), 0.0f));
  stream.InputFinished();
  const float x[4] = {};
  CHECK_THROWS_AS(stream.AcceptWaveform(x, 4), Error);
}
