// Recognizer: a model file loaded for inference — the network, its labels
// and the feature chain it was trained on (from the file's metadata), shared
// read-only by any number of threads and streams.
#pragma once

#include <string>
#include <vector>

#include "auris/io/inputs.h"
#include "auris/modelfile/model_file.h"
#include "auris/pipeline/feature_pipeline.h"
#include "auris/pipeline/transcribe_options.h"

namespace auris::pipeline {

// A model's task, from its "task" metadata: a pooled classifier or a
// per-frame CTC model (labels[0] is the blank).
enum class ModelTask { kClassify, kCtc };

// A CTC model's per-frame outputs.
struct CtcFrames {
  Matrix log_probs;           // frames x labels, log-softmax (labels[0] = blank)
  Matrix boundary_log_probs;  // frames x 3 (decode/word_segmentation.h); empty without a boundary head
};

struct Classification {
  std::vector<float> probs;  // over the model's ClassLabels(), summing to 1
  int best = 0;
};

// A classified input: the answer, the features it came from and their VTLN
// warp (1 unless the model searches warps, vtln_search.h).
struct InputClassification {
  Classification result;
  UtteranceFeatures features;
  double warp = 1;
};

// Silence appended to each input of a CTC model before its last frames: a
// causal model emits a word's label only after hearing its end, so a word
// ending right at the end of a file (FSDD's digits are trimmed tight) was
// lost without it. 200 ms was enough on FSDD; 300 leaves a margin.
inline constexpr double kCtcTailSilenceMs = 300;

// The silence a CTC model's inputs get: kCtcTailSilenceMs, or none when the
// features are normalised per utterance or by a sliding window, whose
// statistics appended silence would shift (measured: a tone-sequence model
// with per-utterance CMVN went from 5% to 74% WER). Such models do not
// stream anyway.
double CtcTailSilenceMs(const FeaturePipelineOptions& features);

class Recognizer {
 public:
  // Throws auris::Error naming the file: unreadable model, bad metadata, or
  // labels that do not match the network's output width.
  static Recognizer Load(const std::string& path);
  explicit Recognizer(modelfile::LoadedModel loaded, const std::string& name = "model");
  // Hands the checked network and metadata back (e.g. to combine models);
  // the recognizer is unusable afterwards.
  modelfile::LoadedModel Release() && { return {std::move(model_), std::move(info_)}; }

  const nn::Model& Model() const { return *model_; }
  // Streams created from now on step with int8 weights in their lstm and
  // linear layers (nn::ParamStore::SetInt8Step; `--int8`); batch decoding
  // keeps the float weights.
  void SetInt8Step(bool on) { model_->Params().SetInt8Step(on); }
  // The network's labels (a CTC model's labels[0] is the blank).
  const std::vector<std::string>& Labels() const { return info_.labels; }
  // What Classify chooses from: a classifier's labels, or a word-unit CTC
  // model's words (its labels without the blank); empty if it cannot classify.
  const std::vector<std::string>& ClassLabels() const { return class_labels_; }
  bool CanClassify() const { return !class_labels_.empty(); }
  const modelfile::ModelInfo& Info() const { return info_; }
  const FeaturePipelineOptions& Features() const { return features_; }
  ModelTask Task() const { return task_; }
  // CTC: the model also has a word-boundary head (metadata "boundary_head").
  bool HasBoundaryHead() const { return boundary_head_; }
  // CTC: labels are characters, "|" between words (metadata "units": chars).
  bool CharUnits() const { return char_units_; }
  double SampleRate() const { return features_.features.Frame().sample_frequency_hz; }
  // The framing of the network's output frames, in which word times and
  // endpoints are measured: the features' framing, or for a stacking model
  // (nn::Model::Stack) dsp::StackedFraming of it.
  const dsp::FrameOptions& OutputFraming() const { return output_framing_; }

  // The model's features of one input (any rate, any channel count).
  UtteranceFeatures ExtractFeatures(const io::InputItem& input) const;
  // Same, of samples already at SampleRate() (Kaldi's int16 scale).
  Matrix ComputeFeatures(const std::vector<float>& samples) const;

  // Network output for one utterance's features: 1 x labels for a
  // classifier (logits), frames x labels for CTC (log-probabilities).
  Matrix Outputs(const Matrix& features) const;
  // CTC only: log-probabilities and, if the model has one, the boundary head's.
  CtcFrames CtcOutputs(const Matrix& features) const;
  // Probabilities over ClassLabels(). A classifier: softmax of its logits.
  // A word-unit CTC model: the input taken as one isolated word, P(word | x)
  // summed over the word's alignments (decode/ctc_word_score.h), normalised
  // over the words. Throws auris::Error if !CanClassify() (character units).
  Classification Classify(const Matrix& features) const;
  // Features of the input, then Classify; with a VTLN
  // search list, once per warp, keeping the most confident (vtln_search.h).
  InputClassification ClassifyInput(const io::InputItem& input) const;
  // The same for samples already at SampleRate() (Kaldi's int16 scale), as
  // ClassifyInput would classify a file holding them.
  InputClassification ClassifySamples(const std::vector<float>& samples) const;
  // The model's test-time VTLN warps (metadata "vtln_search"); empty: none.
  const std::vector<double>& VtlnSearch() const { return vtln_search_; }
  // CTC: the decoding the model file chose (metadata "beam", and "lm_arpa"
  // with "lm_weight" and "word_bonus": an ARPA word LM for shallow fusion);
  // greedy without an LM when it names none.
  const TranscribeOptions& Decoding() const { return decoding_; }

 private:
  Matrix ComputeFeatures(const std::vector<float>& samples, const FeaturePipelineOptions& options) const;
  InputClassification MostConfident(std::vector<UtteranceFeatures> variants) const;

  std::unique_ptr<nn::Model> model_;
  modelfile::ModelInfo info_;
  FeaturePipelineOptions features_;
  dsp::FrameOptions output_framing_;
  ModelTask task_ = ModelTask::kClassify;
  bool boundary_head_ = false;
  bool char_units_ = false;
  std::vector<double> vtln_search_;  // in SearchOrder
  std::vector<std::string> class_labels_;
  TranscribeOptions decoding_;
};

std::vector<float> Softmax(const float* logits, int n);

}  // namespace auris::pipeline
