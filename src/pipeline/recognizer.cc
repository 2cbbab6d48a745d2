#include "auris/pipeline/recognizer.h"

#include <algorithm>
#include <charconv>
#include <map>

#include "auris/core/error.h"
#include "auris/decode/ctc_prefix_beam.h"
#include "auris/decode/ctc_word_score.h"
#include "auris/decode/ngram_lm.h"
#include "auris/decode/word_segmentation.h"
#include "auris/dsp/feature_extractor.h"
#include "auris/dsp/feature_window.h"
#include "auris/nn/softmax.h"
#include "auris/pipeline/feature_config.h"
#include "auris/pipeline/vtln_search.h"

namespace auris::pipeline {

std::vector<float> Softmax(const float* logits, int n) {
  std::vector<float> p(static_cast<std::size_t>(n));
  nn::Softmax(logits, n, p.data());
  return p;
}

double CtcTailSilenceMs(const FeaturePipelineOptions& features) {
  const bool per_utterance = features.cmvn == CmvnMode::kUtterance || features.cmvn == CmvnMode::kSliding;
  return per_utterance ? 0 : kCtcTailSilenceMs;
}

namespace {

template <typename T>
T Number(const std::map<std::string, std::string>& meta, const char* key, T fallback, const std::string& name) {
  const auto it = meta.find(key);
  if (it == meta.end()) return fallback;
  T v{};
  const std::string& s = it->second;
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || end != s.data() + s.size())
    throw MakeError(name, ": metadata '", key, "' is not a number: '", s, "'");
  return v;
}

TranscribeOptions StoredDecoding(const std::map<std::string, std::string>& meta, const std::vector<std::string>& labels,
                                 bool char_units, const std::string& name) {
  TranscribeOptions o;
  o.beam = Number(meta, "beam", 0, name);
  if (const auto arpa = meta.find("lm_arpa"); arpa != meta.end()) {
    try {
      auto lm = std::make_shared<const decode::NgramLm>(decode::NgramLm::ParseArpa(arpa->second, "lm_arpa"));
      o.lm = std::make_shared<const decode::LabelLm>(std::move(lm), labels, char_units);
    } catch (const Error& e) {
      throw MakeError(name, ": ", e.what());
    }
    if (o.beam == 0) o.beam = decode::CtcBeamOptions{}.beam;
  }
  o.lm_weight = Number(meta, "lm_weight", 0.0f, name);
  o.word_bonus = Number(meta, "word_bonus", 0.0f, name);
  try {
    o.Validate();
  } catch (const Error& e) {
    throw MakeError(name, ": stored decoding: ", e.what());
  }
  return o;
}

}  // namespace

Recognizer Recognizer::Load(const std::string& path) {
  return Recognizer(modelfile::LoadModel(path), path);
}

Recognizer::Recognizer(modelfile::LoadedModel loaded, const std::string& name)
    : model_(std::move(loaded.model)), info_(std::move(loaded.info)) {
  try {
    features_ = FeatureConfigFromJson(info_.features_json);
  } catch (const Error& e) {
    throw MakeError(name, ": ", e.what());
  }
  const auto task = info_.extra.find("task");
  const std::string t = task == info_.extra.end() ? "classify" : task->second;
  if (t == "classify") task_ = ModelTask::kClassify;
  else if (t == "ctc") task_ = ModelTask::kCtc;
  else throw MakeError(name, ": unknown task \"", t, "\" in the model metadata (expected classify or ctc)");
  boundary_head_ = task_ == ModelTask::kCtc && info_.extra.contains("boundary_head");
  if (task_ == ModelTask::kCtc) features_.tail_silence_ms = CtcTailSilenceMs(features_);
  const auto units = info_.extra.find("units");
  if (units != info_.extra.end() && units->second != "words" && units->second != "chars")
    throw MakeError(name, ": unknown units \"", units->second, "\" in the model metadata (expected words or chars)");
  char_units_ = task_ == ModelTask::kCtc && units != info_.extra.end() && units->second == "chars";
  const int extra = boundary_head_ ? decode::kNumBoundaryClasses : 0;
  if (static_cast<int>(info_.labels.size()) + extra != model_->OutputDim())
    throw MakeError(name, ": ", info_.labels.size(), " labels", boundary_head_ ? " and a boundary head" : "",
                    " for a network with ", model_->OutputDim(), " outputs");
  if (model_->InputDim() != features_.OutputDim())
    throw MakeError(name, ": the network takes ", model_->InputDim(), "-dimensional input but its features are ",
                    features_.OutputDim(), "-dimensional");
  if (task_ == ModelTask::kClassify && !model_->IsPooled())
    throw MakeError(name, ": a classifier needs a pooled network (an attention_pool layer)");
  if (task_ == ModelTask::kCtc && info_.labels.size() < 2)
    throw MakeError(name, ": a CTC model needs the blank and at least one label");
  if (task_ == ModelTask::kCtc && model_->IsPooled())
    throw MakeError(name, ": a CTC model must output one vector per frame (no attention_pool)");
  if (task_ == ModelTask::kClassify) class_labels_ = info_.labels;
  else if (!char_units_) class_labels_.assign(info_.labels.begin() + 1, info_.labels.end());
  if (const auto v = info_.extra.find("vtln_search"); v != info_.extra.end()) {
    if (task_ != ModelTask::kClassify) throw MakeError(name, ": vtln_search is for classifiers only");
    try {
      vtln_search_ = SearchOrder(ParseVtlnSearch(v->second));
      for (double w : vtln_search_) WithWarp(features_, w);
    } catch (const Error& e) {
      throw MakeError(name, ": ", e.what());
    }
  }
  if (task_ == ModelTask::kCtc) decoding_ = StoredDecoding(info_.extra, info_.labels, char_units_, name);
  output_framing_ = dsp::StackedFraming(features_.features.Frame(), model_->Stack());
}

UtteranceFeatures Recognizer::ExtractFeatures(const io::InputItem& input) const {
  return ExtractUtterance(input, features_);
}

Matrix Recognizer::ComputeFeatures(const std::vector<float>& samples) const {
  return ComputeFeatures(samples, features_);
}

Matrix Recognizer::ComputeFeatures(const std::vector<float>& samples, const FeaturePipelineOptions& o) const {
  const std::vector<float> padded = WithTailSilence(samples, o);
  Matrix f = dsp::ComputeFeatures(o.features, padded.data(), static_cast<std::int64_t>(padded.size()));
  if (dsp::NumFrames(static_cast<std::int64_t>(samples.size()), o.features.Frame()) == 0)
    throw MakeError("audio too short: ", samples.size(), " samples, one frame needs ",
                    o.features.Frame().WindowSize());
  return PostProcess(std::move(f), o);
}

namespace {

// A stacking model's output needs one complete group of frames.
void CheckFrames(const Matrix& features, const nn::Model& model) {
  if (features.rows() < model.Stack())
    throw MakeError("audio too short: ", features.rows(), " frames, the model reads them in groups of ", model.Stack());
}

void LogSoftmaxRows(Matrix& y) {  // row-major: each row is contiguous
  for (Eigen::Index t = 0; t < y.rows(); ++t) nn::LogSoftmax(y.row(t).data(), static_cast<int>(y.cols()), y.row(t).data());
}

}  // namespace

Matrix Recognizer::Outputs(const Matrix& features) const {
  if (task_ == ModelTask::kCtc) return CtcOutputs(features).log_probs;
  CheckFrames(features, *model_);
  nn::RunContext ctx;
  nn::SeqBatch out = model_->Forward(nn::SeqBatch::FromSequences({features}), ctx);
  return out.data.topRows(out.lengths[0]);
}

CtcFrames Recognizer::CtcOutputs(const Matrix& features) const {
  if (task_ != ModelTask::kCtc) throw MakeError("CtcOutputs: this is a classifier");
  CheckFrames(features, *model_);
  nn::RunContext ctx;
  nn::SeqBatch out = model_->Forward(nn::SeqBatch::FromSequences({features}), ctx);
  const Eigen::Index T = out.lengths[0];
  const Eigen::Index L = static_cast<Eigen::Index>(info_.labels.size());
  CtcFrames r;
  r.log_probs = out.data.topLeftCorner(T, L);
  LogSoftmaxRows(r.log_probs);
  if (boundary_head_) {
    r.boundary_log_probs = out.data.block(0, L, T, decode::kNumBoundaryClasses);
    LogSoftmaxRows(r.boundary_log_probs);
  }
  return r;
}

Classification Recognizer::Classify(const Matrix& features) const {
  if (!CanClassify()) throw MakeError("Classify: a CTC model with character units cannot score isolated words");
  Classification c;
  if (task_ == ModelTask::kClassify) {
    const Matrix logits = Outputs(features);
    c.probs = Softmax(logits.data(), static_cast<int>(logits.cols()));
  } else {
    c.probs = decode::CtcWordPosteriors(CtcOutputs(features).log_probs);
  }
  c.best = static_cast<int>(std::max_element(c.probs.begin(), c.probs.end()) - c.probs.begin());
  return c;
}

// Classifies each variant (one per VTLN warp, or just one) and keeps the most confident.
InputClassification Recognizer::MostConfident(std::vector<UtteranceFeatures> variants) const {
  InputClassification out;
  for (std::size_t i = 0; i < variants.size(); ++i) {
    Classification c = Classify(variants[i].features);
    if (i == 0 || c.probs[c.best] > out.result.probs[out.result.best])
      out = {std::move(c), std::move(variants[i]), vtln_search_.empty() ? 1.0 : vtln_search_[i]};
  }
  return out;
}

InputClassification Recognizer::ClassifyInput(const io::InputItem& input) const {
  if (vtln_search_.empty()) {
    std::vector<UtteranceFeatures> one;
    one.push_back(ExtractFeatures(input));
    return MostConfident(std::move(one));
  }
  std::vector<dsp::FeatureOptions> warped;
  for (double w : vtln_search_) warped.push_back(WithWarp(features_.features, w));
  return MostConfident(ExtractUtteranceVariants(input, features_, warped));
}

InputClassification Recognizer::ClassifySamples(const std::vector<float>& samples) const {
  const double seconds = static_cast<double>(samples.size()) / SampleRate();
  std::vector<UtteranceFeatures> variants;
  if (vtln_search_.empty()) variants.push_back({ComputeFeatures(samples), seconds, ""});
  for (double w : vtln_search_) variants.push_back({ComputeFeatures(samples, WithWarp(features_, w)), seconds, ""});
  return MostConfident(std::move(variants));
}

}  // namespace auris::pipeline
