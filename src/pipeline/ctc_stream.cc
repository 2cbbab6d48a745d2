#include "auris/pipeline/ctc_stream.h"

#include <algorithm>
#include <cmath>

#include "auris/core/error.h"
#include "auris/decode/word_segmentation.h"
#include "auris/nn/softmax.h"

namespace auris::pipeline {
namespace {

const Recognizer& CheckStreamable(const Recognizer& r) {
  if (r.Task() != ModelTask::kCtc) throw MakeError("streaming transcription needs a CTC model");
  if (!r.Model().IsCausal()) throw MakeError("the model is not causal: it cannot run as a stream");
  CheckStreamableFeatures(r.Features());
  return r;
}

// Appends the log-softmax of `n` logits to `out`; returns where it starts.
const float* AppendLogSoftmax(const float* logits, int n, std::vector<float>& out) {
  out.resize(out.size() + n);
  float* row = out.data() + out.size() - n;
  nn::LogSoftmax(logits, n, row);
  return row;
}

Matrix Rows(const std::vector<float>& v, int cols) {
  return Eigen::Map<const Matrix>(v.data(), static_cast<Eigen::Index>(v.size()) / cols, cols);
}

}  // namespace

CtcStream::CtcStream(const Recognizer& recognizer, const TranscribeOptions& options)
    : rec_(&CheckStreamable(recognizer)),
      options_(options),
      features_(recognizer.Features().features),
      normaliser_(recognizer.Features()),
      model_(recognizer.Model().CreateStream()),
      greedy_(static_cast<int>(recognizer.Labels().size())),
      row_(features_.Dim()) {
  options_.Validate();
  if (options_.beam > 0) beam_.emplace(static_cast<int>(recognizer.Labels().size()), BeamOptions(options_), options_.lm);
}

void CtcStream::AcceptWaveform(const float* samples, std::int64_t n) {
  QueueWaveform(samples, n);
  RunAvailableFrames();
}

void CtcStream::InputFinished() {
  QueueInputFinished();
  RunAvailableFrames();
}

void CtcStream::QueueWaveform(const float* samples, std::int64_t n) {
  samples_ += n;
  features_.AcceptWaveform(static_cast<float>(rec_->SampleRate()), samples, n);
}

void CtcStream::QueueInputFinished() {
  const std::vector<float> tail = TailSilence(rec_->Features());
  features_.AcceptWaveform(static_cast<float>(rec_->SampleRate()), tail.data(), static_cast<std::int64_t>(tail.size()));
  features_.InputFinished();
}

void CtcStream::RunAvailableFrames() {
  while (const float* x = NextFrame()) {
    model_.Step(x);
    AcceptNetworkOutput();
  }
}

const float* CtcStream::NextFrame() {
  if (inputs_done_ >= features_.NumFramesReady()) return nullptr;
  features_.GetFrame(inputs_done_, row_.data());
  features_.Pop(1);
  normaliser_.Apply(row_.data());
  ++inputs_done_;
  return row_.data();
}

void CtcStream::AcceptNetworkOutput() {
  if (!model_.OutputIsNew()) return;  // a stacking model's group is not complete yet
  const float* out = model_.Output();
  const int labels = static_cast<int>(rec_->Labels().size());
  const float* log_probs = AppendLogSoftmax(out, labels, log_probs_);
  greedy_.AcceptFrame(log_probs);
  if (beam_) beam_->AcceptFrame(log_probs);
  if (rec_->HasBoundaryHead()) {
    const float* b = AppendLogSoftmax(out + labels, decode::kNumBoundaryClasses, boundary_);
    const int outside = static_cast<int>(decode::BoundaryClass::kOutside);
    if (b[outside] < std::max({b[0], b[1], b[2]})) last_speech_ = frames_done_;
  }
  ++frames_done_;
}

std::string CtcStream::PartialText() const {
  const std::vector<int>& labels = beam_ ? beam_->BestLabels() : greedy_.Result().labels;
  return JoinWords(GroupWords(labels, rec_->Labels(), rec_->CharUnits()));
}

CtcFrames CtcStream::Frames() const {
  CtcFrames f;
  f.log_probs = Rows(log_probs_, static_cast<int>(rec_->Labels().size()));
  if (rec_->HasBoundaryHead()) f.boundary_log_probs = Rows(boundary_, decode::kNumBoundaryClasses);
  return f;
}

std::size_t CtcStream::StableWordCount() const {
  const std::vector<std::string>& labels = rec_->Labels();
  // Char units: a word is complete only once "|" follows it. Compared as
  // words, not labels: "two||eight" and "two|eight" agree.
  auto complete_words = [&](std::vector<int> l) {
    if (rec_->CharUnits())
      l.erase(std::find_if(l.rbegin(), l.rend(), [&](int c) { return labels[static_cast<std::size_t>(c)] == "|"; })
                  .base(),
              l.end());
    return GroupWords(l, labels, rec_->CharUnits());
  };
  if (!beam_) return complete_words(greedy_.Result().labels).size();
  const std::vector<decode::CtcBeamHypothesis> n_best = beam_->Hypotheses();
  std::vector<WordTokens> common = complete_words(n_best.front().labels);
  for (const decode::CtcBeamHypothesis& h : n_best) {
    const std::vector<WordTokens> words = complete_words(h.labels);
    const auto diverge = std::mismatch(common.begin(), common.end(), words.begin(), words.end(),
                                       [](const WordTokens& a, const WordTokens& b) { return a.word == b.word; });
    common.erase(diverge.first, common.end());
  }
  return common.size();
}

Transcript CtcStream::StableWords() const {
  const std::size_t n = StableWordCount();
  if (n == 0) return {};
  const dsp::FrameOptions& framing = rec_->OutputFraming();
  Transcript t = beam_ ? TranscriptOf(beam_->Hypotheses().front(), Frames(), rec_->Labels(), rec_->CharUnits(), framing)
                       : DecodeTranscript(Frames(), rec_->Labels(), rec_->CharUnits(), framing, options_);
  ClampToAudio(t, static_cast<double>(samples_) / rec_->SampleRate(), framing);
  t.words.resize(std::min(n, t.words.size()));
  t.text.clear();
  for (const TimedWord& w : t.words) t.text += (t.text.empty() ? "" : " ") + w.word;
  return t;
}

Transcript CtcStream::Result() const {
  const dsp::FrameOptions& framing = rec_->OutputFraming();
  Transcript t = beam_ ? TranscriptOf(beam_->FinalHypotheses().front(), Frames(), rec_->Labels(), rec_->CharUnits(), framing)
                       : DecodeTranscript(Frames(), rec_->Labels(), rec_->CharUnits(), framing, options_);
  ClampToAudio(t, static_cast<double>(samples_) / rec_->SampleRate(), framing);
  return t;
}

}  // namespace auris::pipeline
