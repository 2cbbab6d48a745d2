#include "auris/pipeline/classifier_stream.h"

#include <algorithm>
#include <array>

#include "auris/core/error.h"
#include "auris/nn/attention_pooling.h"
#include "auris/nn/softmax.h"

namespace auris::pipeline {

void CheckStreamableClassifier(const Recognizer& r) {
  if (r.Task() != ModelTask::kClassify) throw MakeError("keyword spotting needs a classification model, not CTC");
  if (!r.Model().IsCausal()) throw MakeError("the model is not causal: it cannot run as a stream");
  CheckStreamableFeatures(r.Features());
  if (!r.VtlnSearch().empty())
    throw MakeError("the model searches VTLN warps over the whole utterance (vtln_search): it cannot run as a stream");
}

namespace {

const Recognizer& Checked(const Recognizer& r) {
  CheckStreamableClassifier(r);
  return r;
}

}  // namespace

PooledStream::PooledStream(const Recognizer& recognizer)
    : model_(Checked(recognizer).Model().CreateStream()), probs_(recognizer.Labels().size(), 0.0f) {
  const nn::Sequential& layers = recognizer.Model().Layers();
  for (int i = 0; i < layers.NumLayers() && pool_layer_ < 0; ++i)
    if (layers.At(i).Kind() == "attention_pooling") pool_layer_ = i;
}

const float* PooledStream::Step(const float* frame) {
  model_.Step(frame);
  Update();
  return model_.Output();
}

void PooledStream::StepMany(std::span<PooledStream* const> streams, const float* frame) {
  std::array<nn::ModelStream*, nn::Layer::kMaxStepMany> models;
  for (std::size_t at = 0; at < streams.size(); at += models.size()) {
    const std::size_t n = std::min(models.size(), streams.size() - at);
    for (std::size_t i = 0; i < n; ++i) models[i] = &streams[at + i]->model_;
    nn::ModelStream::StepMany({models.data(), n}, frame);
    for (std::size_t i = 0; i < n; ++i) streams[at + i]->Update();
  }
}

void PooledStream::Update() {
  nn::Softmax(model_.Output(), static_cast<int>(probs_.size()), probs_.data());
  if (pool_layer_ >= 0) {
    const auto* s = static_cast<const nn::AttentionPoolingState*>(model_.LayerState(pool_layer_));
    attention_score_ = s->scores.mean();
  }
}

void PooledStream::Reset() {
  model_.Reset();
  std::fill(probs_.begin(), probs_.end(), 0.0f);
  attention_score_ = 0;
}

ClassifierStream::ClassifierStream(const Recognizer& recognizer)
    : rec_(&Checked(recognizer)),
      features_(recognizer.Features().features),
      normaliser_(recognizer.Features()),
      net_(recognizer),
      row_(static_cast<std::size_t>(features_.Dim())) {}

void ClassifierStream::AcceptWaveform(const float* samples, std::int64_t n) {
  features_.AcceptWaveform(static_cast<float>(rec_->SampleRate()), samples, n);
  RunAvailableFrames();
}

void ClassifierStream::InputFinished() {
  features_.InputFinished();
  RunAvailableFrames();
}

void ClassifierStream::RunAvailableFrames() {
  const std::size_t labels = rec_->Labels().size();
  while (features_.NumFramesPopped() < features_.NumFramesReady()) {
    features_.GetFrame(features_.NumFramesPopped(), row_.data());
    normaliser_.Apply(row_.data());
    const float* logits = net_.Step(row_.data());
    logits_.insert(logits_.end(), logits, logits + labels);
    features_.Pop(1);
  }
}

Matrix ClassifierStream::FrameLogits() const {
  const auto labels = static_cast<Eigen::Index>(rec_->Labels().size());
  return Eigen::Map<const Matrix>(logits_.data(), static_cast<Eigen::Index>(logits_.size()) / labels, labels);
}

}  // namespace auris::pipeline
