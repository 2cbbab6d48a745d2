// Continuous transcription of an endless stream with a CTC model: a
// CtcStream per utterance, partial transcripts as they grow, and a final
// transcript (with word times) at each endpoint, after which a fresh stream
// starts. Endpoint rule (Kaldi's "trailing silence" rule): something was
// said and trailing_silence_ms have passed since the last frame inside a
// word (CtcStream::LastSpeechFrame: the boundary head's, if the model has one). Times are seconds
// from the start of the session. Memory stays flat: each utterance's frames
// are dropped at its endpoint.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "auris/pipeline/ctc_stream.h"

namespace auris::pipeline {

struct EndpointOptions {
  double trailing_silence_ms = 800;
  // An utterance is closed after this long even without a pause (bounds memory).
  double max_utterance_s = 30;

  void Validate() const;  // throws auris::Error naming the option
};

struct LiveEvent {
  enum class Type { kPartial, kFinal };
  Type type = Type::kPartial;
  std::string text;
  double start_s = 0, end_s = 0;   // partial: utterance start .. now; final: first word start .. last word end
  std::vector<TimedWord> words;    // final only, session times
};

class CtcSession {
 public:
  CtcSession(const Recognizer& recognizer, const TranscribeOptions& decode, const EndpointOptions& endpoint);
  ~CtcSession();

  // Samples at the model's rate (Kaldi int16 scale); returns the events they
  // caused. The events do not depend on how the audio is cut into calls.
  std::vector<LiveEvent> Accept(const float* samples, std::int64_t n);
  // End of input: the last utterance's final transcript, if anything was said.
  std::vector<LiveEvent> Finish();
  double SecondsSeen() const { return static_cast<double>(samples_) / rate_; }
  // The current utterance's words that no later audio can change
  // (CtcStream::StableWords), in session times; the utterance's final begins
  // with them. StableWordCount() is cheap, StableWords() decodes times.
  std::size_t StableWordCount() const { return stream_->StableWordCount(); }
  std::vector<TimedWord> StableWords() const;

  // The same in steps, for a scheduler that runs many sessions' networks
  // together: Queue() / QueueFinish() take the input; Advance() runs it up
  // to the next network step and returns that step's input frame (step
  // Network() with it, alone or in nn::ModelStream::StepMany, then call
  // Advance() again), or nullptr once the queued input is done. Events are
  // appended to `events`. Accept() is exactly this with Network().Step.
  void Queue(const float* samples, std::int64_t n);
  void QueueFinish();
  const float* Advance(std::vector<LiveEvent>& events);
  nn::ModelStream& Network() { return stream_->Network(); }

 private:
  std::vector<LiveEvent> RunQueued();
  void Check(std::vector<LiveEvent>& events);  // partial and endpoint, at the end of a piece
  void Close(std::vector<LiveEvent>& events);

  const Recognizer* rec_;
  TranscribeOptions decode_;
  EndpointOptions endpoint_;
  double rate_;
  double frame_shift_s_;
  std::unique_ptr<CtcStream> stream_;
  std::int64_t samples_ = 0;            // seen by the session
  std::int64_t utterance_start_ = 0;    // sample where the current stream started
  std::string partial_;                 // text of the last partial event
  std::int64_t partial_frames_ = 0;     // frames done when it was checked
  std::int64_t step_;                   // piece length, samples
  std::vector<float> queued_;           // input not yet fed, from queued_at_
  std::size_t queued_at_ = 0;
  bool fed_ = false;                    // a piece is in the stream, its frames still to run
  bool stepping_ = false;               // Advance() gave a frame: its output is due
  bool finish_queued_ = false, finishing_ = false;
};

}  // namespace auris::pipeline
