#include "auris/pipeline/recognizer.h"

#include <algorithm>
#include <cmath>

#include "auris/core/error.h"
#include "auris/dsp/feature_extractor.h"
#include "auris/pipeline/feature_config.h"

namespace auris::pipeline {

std::vector<float> Softmax(const float* logits, int n) {
  std::vector<float> p(static_cast<std::size_t>(n));
  const float mx = *std::max_element(logits, logits + n);
  double sum = 0;
  for (int i = 0; i < n; ++i) sum += p[i] = std::exp(logits[i] - mx);
  for (float& v : p) v = static_cast<float>(v / sum);
  return p;
}

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
  if (static_cast<int>(info_.labels.size()) != model_->OutputDim())
    throw MakeError(name, ": ", info_.labels.size(), " labels for a network with ", model_->OutputDim(), " outputs");
  if (model_->InputDim() != features_.OutputDim())
    throw MakeError(name, ": the network takes ", model_->InputDim(), "-dimensional input but its features are ",
                    features_.OutputDim(), "-dimensional");
  if (task_ == ModelTask::kClassify && !model_->IsPooled())
    throw MakeError(name, ": a classifier needs a pooled network (an attention_pool layer)");
  if (task_ == ModelTask::kCtc && model_->IsPooled())
    throw MakeError(name, ": a CTC model must output one vector per frame (no attention_pool)");
}

UtteranceFeatures Recognizer::ExtractFeatures(const io::InputItem& input) const {
  return ExtractUtterance(input, features_);
}

Matrix Recognizer::ComputeFeatures(const std::vector<float>& samples) const {
  Matrix f = dsp::ComputeFeatures(features_.features, samples.data(), static_cast<std::int64_t>(samples.size()));
  if (f.rows() == 0)
    throw MakeError("audio too short: ", samples.size(), " samples, one frame needs ",
                    features_.features.Frame().WindowSize());
  return PostProcess(std::move(f), features_);
}

Matrix Recognizer::Outputs(const Matrix& features) const {
  nn::RunContext ctx;
  nn::SeqBatch in = nn::SeqBatch::FromSequences({features});
  nn::SeqBatch out = model_->Forward(in, ctx);
  Matrix y = out.data.topRows(out.lengths[0]);
  if (task_ == ModelTask::kCtc) {
    for (Eigen::Index t = 0; t < y.rows(); ++t) {
      const float mx = y.row(t).maxCoeff();
      const float lse = mx + std::log((y.row(t).array() - mx).exp().sum());
      y.row(t).array() -= lse;
    }
  }
  return y;
}

Classification Recognizer::Classify(const Matrix& features) const {
  if (task_ != ModelTask::kClassify) throw MakeError("Classify: this is a CTC model; use transcription");
  const Matrix logits = Outputs(features);
  Classification c;
  c.probs = Softmax(logits.data(), static_cast<int>(logits.cols()));
  c.best = static_cast<int>(std::max_element(c.probs.begin(), c.probs.end()) - c.probs.begin());
  return c;
}

}  // namespace auris::pipeline
