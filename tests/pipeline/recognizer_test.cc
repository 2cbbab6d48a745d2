// Recognizer end to end against an independent PyTorch chain
// (tests/reference/make_recognizer.py: torchaudio Kaldi fbank, mean
// normalisation, torch LSTM + attention pooling + Linear, softmax), and the
// model-file consistency checks Recognizer::Load makes.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>

#include "auris/audio/load.h"
#include "auris/audio/write.h"
#include "auris/core/error.h"
#include "auris/core/rng.h"
#include "auris/decode/ctc_word_score.h"
#include "auris/dsp/feature_extractor.h"
#include "auris/io/npy.h"
#include "auris/modelfile/model_file.h"
#include "auris/pipeline/feature_config.h"
#include "auris/pipeline/recognizer.h"
#include "test_support.h"
#include "tolerances.h"

using namespace auris;
using namespace auris::test;

namespace {

io::InputItem FileInput(const std::string& path) {
  io::InputItem item;
  item.uttid = "utt";
  item.path = path;
  return item;
}

double MaxAbsDiff(const Matrix& a, const MatrixD& b) { return (a.cast<double>() - b).cwiseAbs().maxCoeff(); }

int ArgMax(const std::vector<double>& v) {
  return static_cast<int>(std::max_element(v.begin(), v.end()) - v.begin());
}

constexpr const char* kPooledArch =
    R"({"input_dim": 13, "layers": [{"type": "lstm", "hidden": 8},
        {"type": "attention_pool"}, {"type": "linear", "out": 3}]})";
constexpr const char* kFrameArch =
    R"({"input_dim": 13, "layers": [{"type": "lstm", "hidden": 8}, {"type": "linear", "out": 3}]})";

// Saves a model whose metadata is given, then expects Load to fail with a
// message naming the file and containing `detail`.
void ExpectLoadError(const std::string& arch, modelfile::ModelInfo info, const std::string& detail) {
  TempDir dir;
  const std::string path = dir / "bad_model.safetensors";
  modelfile::SaveModel(path, nn::Model(arch, 1), info);
  try {
    pipeline::Recognizer::Load(path);
    FAIL("no error for a model that should be rejected: ", detail);
  } catch (const Error& e) {
    const std::string msg = e.what();
    CHECK_MESSAGE(msg.find(path) != std::string::npos, msg);
    CHECK_MESSAGE(msg.find(detail) != std::string::npos, msg);
  }
}

modelfile::ModelInfo Info13(std::vector<std::string> labels, const std::string& task) {
  pipeline::FeaturePipelineOptions o;
  o.features.type = "mfcc";  // 13 coefficients by default
  modelfile::ModelInfo info;
  info.labels = std::move(labels);
  info.features_json = pipeline::FeatureConfigToJson(o);
  info.extra["task"] = task;
  return info;
}

}  // namespace

TEST_CASE("Recognizer: model file from PyTorch classifies WAV files as torch does (mono, stereo, 16 kHz)") {
  AURIS_REQUIRE_REF(model_path, "recognizer_model.safetensors");
  const pipeline::Recognizer rec = pipeline::Recognizer::Load(model_path);
  CHECK(rec.Labels() == std::vector<std::string>{"a", "b", "c", "d"});
  CHECK(rec.Task() == pipeline::ModelTask::kClassify);
  CHECK(rec.SampleRate() == 8000);
  CHECK(rec.Features().cmvn == pipeline::CmvnMode::kUtterance);
  CHECK(rec.Features().features.fbank.mel.num_bins == 23);

  const MatrixD ref_features = io::ReadNpy(RefFile("recognizer_features.npy")).ToMatrixD();
  const std::vector<double> ref_probs = io::ReadNpy(RefFile("recognizer_probs.npy")).values;
  REQUIRE(ref_probs.size() == 4);

  const pipeline::UtteranceFeatures mono = rec.ExtractFeatures(FileInput(RefFile("recognizer_mono8k.wav")));
  REQUIRE(mono.features.rows() == ref_features.rows());
  REQUIRE(mono.features.cols() == ref_features.cols());
  const double feature_err = MaxAbsDiff(mono.features, ref_features);
  CHECK_MESSAGE(feature_err <= tol::kFeatureAbs, "max |features - torchaudio| = " << feature_err);

  const pipeline::Classification c = rec.Classify(mono.features);
  REQUIRE(c.probs.size() == 4);
  double prob_err = 0, sum = 0;
  for (std::size_t i = 0; i < 4; ++i) {
    prob_err = std::max(prob_err, std::abs(c.probs[i] - ref_probs[i]));
    sum += c.probs[i];
  }
  CHECK_MESSAGE(prob_err <= tol::kRecognizerProbAbs, "max |probs - torch| = " << prob_err);
  CHECK(std::abs(sum - 1) < 1e-6);
  CHECK(c.best == ArgMax(ref_probs));

  // Two equal channels average to exactly the mono samples.
  const pipeline::UtteranceFeatures stereo = rec.ExtractFeatures(FileInput(RefFile("recognizer_stereo8k.wav")));
  CHECK(stereo.features == mono.features);
  CHECK(rec.Classify(stereo.features).probs == c.probs);

  // ComputeFeatures on the samples gives what the file path gives.
  const auto samples = audio::LoadForFeatures(RefFile("recognizer_mono8k.wav"), rec.Features().audio);
  CHECK(rec.ComputeFeatures(samples) == mono.features);

  // The same signal rendered at 16 kHz is resampled to the model's rate: the
  // features only approximate the 8 kHz ones, the decision must not change.
  const pipeline::UtteranceFeatures wide = rec.ExtractFeatures(FileInput(RefFile("recognizer_mono16k.wav")));
  CHECK(std::abs(wide.features.rows() - mono.features.rows()) <= 1);
  CHECK(rec.Classify(wide.features).best == ArgMax(ref_probs));
}

TEST_CASE("Recognizer: Outputs gives logits for a classifier and log-probabilities for CTC") {
  modelfile::ModelInfo info = Info13({"<b>", "x", "y"}, "ctc");
  nn::Model model(kFrameArch, 3);
  const pipeline::Recognizer ctc(modelfile::LoadedModel{std::make_unique<nn::Model>(kFrameArch, 3), info});
  Matrix x = Matrix::Random(6, 13);
  const Matrix y = ctc.Outputs(x);
  REQUIRE(y.rows() == 6);
  REQUIRE(y.cols() == 3);
  nn::RunContext ctx;
  const Matrix logits = model.Forward(nn::SeqBatch::FromSequences({x}), ctx).data;
  for (int t = 0; t < 6; ++t) {
    double z = 0;
    for (int k = 0; k < 3; ++k) z += std::exp(static_cast<double>(logits(t, k)));
    for (int k = 0; k < 3; ++k) CHECK(y(t, k) == doctest::Approx(logits(t, k) - std::log(z)).epsilon(1e-5));
  }
}

// An isolated word under a word-unit CTC model: P(word | x), the sum over
// its alignments (checked against brute force in ctc_word_score_test),
// normalised over the words; the blank is not a class.
TEST_CASE("Recognizer: a word-unit CTC model classifies one word by P(word | x), character units cannot") {
  const pipeline::Recognizer ctc(modelfile::LoadedModel{std::make_unique<nn::Model>(kFrameArch, 3),
                                                        Info13({"<b>", "x", "y"}, "ctc")});
  CHECK(ctc.CanClassify());
  CHECK(ctc.ClassLabels() == std::vector<std::string>{"x", "y"});
  const Matrix x = Matrix::Random(6, 13);
  const std::vector<double> s = decode::CtcSingleLabelLogProbs(ctc.Outputs(x));
  const double px = 1 / (1 + std::exp(s[2] - s[1]));
  const pipeline::Classification c = ctc.Classify(x);
  REQUIRE(c.probs.size() == 2);
  CHECK(c.probs[0] == doctest::Approx(px).epsilon(1e-5));
  CHECK(c.probs[1] == doctest::Approx(1 - px).epsilon(1e-5));
  CHECK(c.best == (px >= 0.5 ? 0 : 1));

  modelfile::ModelInfo chars = Info13({"<b>", "a", "|"}, "ctc");
  chars.extra["units"] = "chars";
  const pipeline::Recognizer char_model(modelfile::LoadedModel{std::make_unique<nn::Model>(kFrameArch, 3), chars});
  CHECK_FALSE(char_model.CanClassify());
  CHECK_THROWS_WITH_AS(char_model.Classify(x), doctest::Contains("character units"), Error);

  const pipeline::Recognizer cls(modelfile::LoadedModel{std::make_unique<nn::Model>(kPooledArch, 3),
                                                        Info13({"a", "b", "c"}, "classify")});
  CHECK(cls.ClassLabels() == cls.Labels());
}

// A causal CTC model emits a word's label only after the word's end, so a
// CTC Recognizer appends silence to every input (unless its features are
// normalised per utterance); a classifier does not.
TEST_CASE("Recognizer: a CTC model's input ends in kCtcTailSilenceMs of silence, a classifier's does not") {
  TempDir dir;
  const std::string wav = dir / "noise.wav";
  Rng rng(3);
  std::vector<float> noise(8000);  // 0.5 s at the MFCC default 16 kHz
  for (float& v : noise) v = std::round(1000 * static_cast<float>(rng.Gaussian()));
  audio::WriteWav(wav, noise, 16000);
  const pipeline::Recognizer ctc(modelfile::LoadedModel{std::make_unique<nn::Model>(kFrameArch, 3),
                                                        Info13({"<b>", "x", "y"}, "ctc")});
  const pipeline::Recognizer cls(modelfile::LoadedModel{std::make_unique<nn::Model>(kPooledArch, 3),
                                                        Info13({"a", "b", "c"}, "classify")});
  CHECK(ctc.Features().tail_silence_ms == pipeline::kCtcTailSilenceMs);
  CHECK(cls.Features().tail_silence_ms == 0);
  for (const pipeline::CmvnMode per_utterance : {pipeline::CmvnMode::kUtterance, pipeline::CmvnMode::kSliding}) {
    modelfile::ModelInfo info = Info13({"<b>", "x", "y"}, "ctc");
    pipeline::FeaturePipelineOptions o = pipeline::FeatureConfigFromJson(info.features_json);
    o.cmvn = per_utterance;  // silence would shift the statistics: no tail
    info.features_json = pipeline::FeatureConfigToJson(o);
    const pipeline::Recognizer r(modelfile::LoadedModel{std::make_unique<nn::Model>(kFrameArch, 3), info});
    CHECK(r.Features().tail_silence_ms == 0);
  }
  const std::vector<float> samples = audio::LoadForFeatures(wav, ctc.Features().audio);
  REQUIRE(samples.size() == noise.size());
  std::vector<float> padded = samples;
  padded.resize(samples.size() + static_cast<std::size_t>(16 * pipeline::kCtcTailSilenceMs), 0.0f);
  const dsp::FeatureOptions& f = ctc.Features().features;

  const pipeline::UtteranceFeatures with_tail = ctc.ExtractFeatures(FileInput(wav));
  CHECK(with_tail.features == dsp::ComputeFeatures(f, padded.data(), static_cast<std::int64_t>(padded.size())));
  CHECK(with_tail.audio_seconds == 0.5);  // the file's duration, not the padding's
  CHECK(ctc.ComputeFeatures(samples) == with_tail.features);
  const Matrix plain = cls.ExtractFeatures(FileInput(wav)).features;
  CHECK(plain == dsp::ComputeFeatures(f, samples.data(), static_cast<std::int64_t>(samples.size())));
  CHECK(with_tail.features.rows() == plain.rows() + 30);  // 300 ms at a 10 ms shift

  // Audio shorter than one frame is still an error, whatever the padding.
  audio::WriteWav(dir / "short.wav", std::vector<float>(100, 0.0f), 16000);
  CHECK_THROWS_WITH_AS(ctc.ExtractFeatures(FileInput(dir / "short.wav")), doctest::Contains("audio too short"), Error);
  CHECK_THROWS_WITH_AS(ctc.ComputeFeatures(std::vector<float>(100, 0.0f)), doctest::Contains("audio too short"), Error);
}

// A classifier with "trim" in its features hears a word padded with digital
// silence exactly as the word alone (dsp/speech_trim.h: the margin stops at
// zeros), from a file and from samples; the duration stays the file's.
TEST_CASE("Recognizer: a classifier with trimming hears only the speech of a padded word") {
  TempDir dir;
  Rng rng(5);
  std::vector<float> word(4800);  // 0.3 s at 16 kHz, 30 blocks of 10 ms
  for (float& v : word) v = std::round(1000 * static_cast<float>(rng.Gaussian()));
  std::vector<float> padded(8000, 0.0f);  // 0.5 s of zeros either side
  padded.insert(padded.end(), word.begin(), word.end());
  padded.resize(padded.size() + 8000, 0.0f);
  audio::WriteWav(dir / "padded.wav", padded, 16000);

  modelfile::ModelInfo info = Info13({"a", "b", "c"}, "classify");
  pipeline::FeaturePipelineOptions o = pipeline::FeatureConfigFromJson(info.features_json);
  o.cmvn = pipeline::CmvnMode::kUtterance;
  o.features.ForEachFrame([](dsp::FrameOptions& f) { f.dither = 0; });  // the same noise whatever the start
  info.features_json = pipeline::FeatureConfigToJson(o);
  const pipeline::Recognizer plain(modelfile::LoadedModel{std::make_unique<nn::Model>(kPooledArch, 3), info});
  o.trim = dsp::SpeechTrimOptions{};
  info.features_json = pipeline::FeatureConfigToJson(o);
  const pipeline::Recognizer trimmed(modelfile::LoadedModel{std::make_unique<nn::Model>(kPooledArch, 3), info});
  REQUIRE(trimmed.Features().trim.has_value());

  const pipeline::UtteranceFeatures u = trimmed.ExtractFeatures(FileInput(dir / "padded.wav"));
  const Matrix word_only = plain.ComputeFeatures(word);
  CHECK(u.features == word_only);
  CHECK(u.audio_seconds == 1.3);
  CHECK(trimmed.ComputeFeatures(padded) == word_only);
  CHECK(plain.ComputeFeatures(padded).rows() > word_only.rows() + 90);  // without trimming: all of it
  CHECK(trimmed.ClassifySamples(padded).result.probs == plain.ClassifySamples(word).result.probs);

  // Not for CTC models, whose inputs end in silence on purpose.
  modelfile::ModelInfo ctc = Info13({"<b>", "x", "y"}, "ctc");
  ctc.features_json = info.features_json;
  ExpectLoadError(kFrameArch, ctc, "trim");
}

TEST_CASE("Recognizer: inconsistent model files are rejected with the file name") {
  SUBCASE("label count differs from the output width") {
    ExpectLoadError(kPooledArch, Info13({"a", "b"}, "classify"), "2 labels for a network with 3 outputs");
  }
  SUBCASE("a CTC model with only the blank") {
    ExpectLoadError(R"({"input_dim": 13, "layers": [{"type": "lstm", "hidden": 8}, {"type": "linear", "out": 1}]})",
                    Info13({"<b>"}, "ctc"), "at least one label");
  }
  SUBCASE("unknown units") {
    modelfile::ModelInfo info = Info13({"<b>", "x", "y"}, "ctc");
    info.extra["units"] = "phones";
    ExpectLoadError(kFrameArch, info, "unknown units \"phones\"");
  }
  SUBCASE("unknown task") { ExpectLoadError(kPooledArch, Info13({"a", "b", "c"}, "regress"), "unknown task \"regress\""); }
  SUBCASE("CTC task on a pooled network") {
    ExpectLoadError(kPooledArch, Info13({"a", "b", "c"}, "ctc"), "one vector per frame");
  }
  SUBCASE("classifier without pooling") {
    ExpectLoadError(kFrameArch, Info13({"a", "b", "c"}, "classify"), "pooled network");
  }
  SUBCASE("feature width differs from the network's input") {
    modelfile::ModelInfo info = Info13({"a", "b", "c"}, "classify");
    pipeline::FeaturePipelineOptions o;
    o.features.type = "mfcc";
    o.add_deltas = true;  // 39 columns
    info.features_json = pipeline::FeatureConfigToJson(o);
    ExpectLoadError(kPooledArch, info, "13-dimensional input but its features are 39-dimensional");
  }
  SUBCASE("a VTLN search list that is not numbers") {
    modelfile::ModelInfo info = Info13({"a", "b", "c"}, "classify");
    info.extra["vtln_search"] = "0.9 abc";
    ExpectLoadError(kPooledArch, info, "\"abc\" is not a positive warp factor");
  }
  SUBCASE("a VTLN search list on a CTC model") {
    modelfile::ModelInfo info = Info13({"a", "b", "c"}, "ctc");
    info.extra["vtln_search"] = "0.9 1";
    ExpectLoadError(kFrameArch, info, "vtln_search is for classifiers only");
  }
  SUBCASE("bad feature metadata") {
    modelfile::ModelInfo info = Info13({"a", "b", "c"}, "classify");
    info.features_json = R"({"features": {"type": "fbank", "num-mel-bins": "many"}})";
    ExpectLoadError(kPooledArch, info, "num-mel-bins");
  }
}
