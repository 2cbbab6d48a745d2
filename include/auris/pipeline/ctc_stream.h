// One stream of audio through a CTC Recognizer, as it arrives: the online
// feature extractor, the model's per-frame normalisation, the network step
// by step (nn::ModelStream), the decoder frame by frame (greedy, or the
// prefix beam search with its LM), a partial transcript after every chunk,
// and at the end the same transcript as batch decoding (DecodeTranscript
// over the same frame outputs). The beam runs as frames arrive, so an
// endpoint costs no search over the whole utterance. The Recognizer is
// shared read-only; each stream holds its own state.
//
// Streaming needs a causal network and a feature chain that does not look
// ahead: no deltas, CMVN none, global or online (utterance and sliding CMVN use
// future frames).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "auris/decode/ctc_greedy.h"
#include "auris/decode/ctc_prefix_beam.h"
#include "auris/dsp/feature_extractor.h"
#include "auris/nn/model.h"
#include "auris/pipeline/frame_normaliser.h"
#include "auris/pipeline/transcriber.h"

namespace auris::pipeline {

class CtcStream {
 public:
  // Throws auris::Error if the recognizer is not a CTC model or cannot stream
  // (non-causal network, deltas, utterance / sliding CMVN).
  CtcStream(const Recognizer& recognizer, const TranscribeOptions& options);

  // Samples at the model's rate, Kaldi's int16 scale. Runs every frame that
  // is complete. Throws after InputFinished().
  void AcceptWaveform(const float* samples, std::int64_t n);
  // No more audio: runs the last frames.
  void InputFinished();

  // The same in halves, for a scheduler that steps many streams' networks
  // together (nn::ModelStream::StepMany): Queue* only extract features;
  // then, while NextFrame() gives a frame (normalised, valid until the next
  // call), the caller steps Network() with it and calls AcceptNetworkOutput()
  // (decoders). AcceptWaveform is exactly that with Network().Step.
  void QueueWaveform(const float* samples, std::int64_t n);
  void QueueInputFinished();
  const float* NextFrame();
  nn::ModelStream& Network() { return model_; }
  void AcceptNetworkOutput();

  // Output frames so far (Recognizer::OutputFraming()); the frame indices
  // below count them too.
  std::int64_t FramesDone() const { return frames_done_; }
  // Last frame of the most recent label run, -1 before the first label.
  std::int64_t LastLabelFrame() const {
    return greedy_.Result().last_frame.empty() ? -1 : greedy_.Result().last_frame.back();
  }
  // Last frame inside a word: by the boundary head (not most likely
  // "outside") when the model has one, else LastLabelFrame() (labels fire
  // late in words, so that is a rough stand-in). -1 before any.
  std::int64_t LastSpeechFrame() const { return rec_->HasBoundaryHead() ? last_speech_ : LastLabelFrame(); }
  // Greedy labels emitted so far.
  std::size_t NumLabels() const { return greedy_.Result().labels.size(); }
  // Transcript of the frames so far: greedy (only grows; the last word may
  // still change), or with beam search the best prefix so far, LM included
  // for finished words (any word may still change).
  std::string PartialText() const;
  // The transcript with word times: equal to Transcribe() on the whole audio
  // once InputFinished() was called (the tail silence included); before
  // that, of the frames so far.
  Transcript Result() const;
  // Every frame's outputs so far (log-probabilities, boundary head).
  CtcFrames Frames() const;
  // How many words of the transcript so far no later audio can change: the
  // complete words (char units: followed by "|") of the labels that every
  // kept beam hypothesis shares, as the final transcript descends from one of
  // them; greedy: of the greedy labels, which only grow.
  std::size_t StableWordCount() const;
  // Those words with times and confidences as the best hypothesis has them
  // now (the final transcript's may differ slightly: its best path, or the
  // boundary head's segmentation, can still move).
  Transcript StableWords() const;

 private:
  void RunAvailableFrames();

  const Recognizer* rec_;
  TranscribeOptions options_;
  dsp::OnlineFeatureExtractor features_;
  FrameNormaliser normaliser_;
  nn::ModelStream model_;
  decode::CtcGreedyDecoder greedy_;  // also for the endpoint rule's last label
  std::optional<decode::CtcPrefixBeamDecoder> beam_;
  std::vector<float> log_probs_, boundary_;  // frames x labels, frames x 3, row after row
  std::int64_t inputs_done_ = 0;  // feature frames
  std::int64_t frames_done_ = 0;  // output frames
  std::int64_t samples_ = 0;  // accepted, without the tail silence
  std::int64_t last_speech_ = -1;
  std::vector<float> row_;  // one feature frame, normalised in place
};

}  // namespace auris::pipeline
