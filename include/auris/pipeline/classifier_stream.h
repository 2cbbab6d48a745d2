// One input through a classifier as it arrives: online features, the model's
// per-frame normalisation, the pooled network step by step (nn::ModelStream).
// After every frame the pooled logits of all frames so far equal the batch
// network on that prefix, so once the input is finished Current() equals
// Recognizer::Classify on the whole input's features.
//
// PooledStream is the network part alone, fed normalised feature frames: the
// KeywordSpotter runs many of them over one shared feature extractor.
//
// Streaming needs a causal network and a feature chain that does not look
// ahead: no deltas, CMVN none, global or online (utterance and sliding CMVN use
// future frames).
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "auris/dsp/feature_extractor.h"
#include "auris/nn/model.h"
#include "auris/pipeline/frame_normaliser.h"
#include "auris/pipeline/recognizer.h"

namespace auris::pipeline {

// Throws auris::Error unless `r` is a classifier that can stream.
void CheckStreamableClassifier(const Recognizer& r);

class PooledStream {
 public:
  // The recognizer must pass CheckStreamableClassifier (checked).
  explicit PooledStream(const Recognizer& recognizer);

  // One normalised feature frame; returns the pooled logits of all frames so
  // far (labels floats, valid until the next Step/Reset). Allocation-free.
  const float* Step(const float* frame);
  // The same frame into several streams of one recognizer, each weight read
  // once for all (nn::ModelStream::StepMany). Allocation-free.
  static void StepMany(std::span<PooledStream* const> streams, const float* frame);
  void Reset();
  std::int64_t Frames() const { return model_.FramesSeen(); }
  // Softmax of the last logits (zeros before the first frame).
  const std::vector<float>& Posteriors() const { return probs_; }
  // Attention pooling's score of the last frame (mean over its queries;
  // the frame's pooling weight is proportional to exp(score)); 0 without
  // a top-level attention_pool layer.
  float LastAttentionScore() const { return attention_score_; }
  // False without a top-level attention_pool layer (e.g. an ensemble).
  bool HasAttention() const { return pool_layer_ >= 0; }

 private:
  void Update();  // posteriors and attention score of the step just taken

  nn::ModelStream model_;
  int pool_layer_ = -1;  // top-level attention_pool layer
  std::vector<float> probs_;
  float attention_score_ = 0;
};

class ClassifierStream {
 public:
  // Throws as CheckStreamableClassifier.
  explicit ClassifierStream(const Recognizer& recognizer);

  // Samples at the model's rate, Kaldi's int16 scale. Runs every frame that
  // is complete. Throws after InputFinished().
  void AcceptWaveform(const float* samples, std::int64_t n);
  // No more audio: runs the last frames.
  void InputFinished();

  std::int64_t FramesDone() const { return net_.Frames(); }
  // Softmax of the pooled logits so far (zeros before the first frame).
  const std::vector<float>& Current() const { return net_.Posteriors(); }
  // The pooled logits after every frame so far: frames x labels.
  Matrix FrameLogits() const;

 private:
  void RunAvailableFrames();

  const Recognizer* rec_;
  dsp::OnlineFeatureExtractor features_;
  FrameNormaliser normaliser_;
  PooledStream net_;
  std::vector<float> row_;     // one feature frame, normalised in place
  std::vector<float> logits_;  // frames x labels, row after row
};

}  // namespace auris::pipeline
