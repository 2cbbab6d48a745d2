// One client's audio through one model, as `auris live` runs it: client PCM
// (s16le or f32le, any rate, interleaved channels, split at any byte) →
// mono at the model's rate (soxr, streaming) → a CtcSession (partials and
// finals; with keywords, also keyword events of its words) or a
// KeywordSpotter (keyword events) → the records of `auris live --json`.
// Not thread-safe: one thread at a time per engine.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "auris/nn/model.h"
#include "auris/pipeline/recognizer.h"
#include "auris/serve/protocol.h"

namespace auris::audio {
class Resampler;
}
namespace auris::pipeline {
class CtcSession;
class KeywordSpotter;
class TranscriptKeywords;
struct LiveEvent;
struct KeywordEvent;
}  // namespace auris::pipeline

namespace auris::serve {

class StreamEngine {
 public:
  // Throws auris::Error if the model cannot stream (see CtcStream,
  // CheckStreamableClassifier), or on keywords TranscriptKeywords refuses
  // (and on any keywords for a classifier model).
  StreamEngine(const pipeline::Recognizer& recognizer, const AudioFormat& format,
               const std::vector<std::string>& keywords = {}, double threshold = 0);
  ~StreamEngine();

  // Appends the JSON events the bytes caused to *events.
  void Accept(const unsigned char* bytes, std::size_t n, std::vector<std::string>* events);
  // End of input: the last events. Throws auris::Error (after nothing was
  // appended) if the input ended inside a sample frame.
  void Finish(std::vector<std::string>* events);

  // The same in steps, so that a scheduler can step many clients' networks
  // together (CTC models; a keyword spotter runs at once in Push/PushEnd):
  // Push / PushEnd queue the input (PushEnd throws as Finish does); Advance
  // runs it up to the next network step and returns that step's frame (step
  // Network() with it, alone or in nn::ModelStream::StepMany with engines
  // of the same model, then call Advance again), or nullptr once all queued
  // input is done. Accept / Finish are exactly this with Network().Step.
  void Push(const unsigned char* bytes, std::size_t n, std::vector<std::string>* events);
  void PushEnd(std::vector<std::string>* events);
  const float* Advance(std::vector<std::string>* events);
  nn::ModelStream& Network();
  const pipeline::Recognizer& Model() const { return *rec_; }

  double SecondsSeen() const { return static_cast<double>(samples_) / model_rate_; }
  // Finals (CTC) or keywords so far.
  long Results() const { return results_; }

 private:
  void Decode(const unsigned char* bytes, std::size_t frames);
  void Run(std::vector<std::string>* events);  // samples_buf_ to the model
  void RunQueued(std::vector<std::string>* events);
  void Add(const std::vector<pipeline::LiveEvent>& in, std::vector<std::string>* events);
  void Add(const std::vector<pipeline::KeywordEvent>& in, std::vector<std::string>* events);

  const pipeline::Recognizer* rec_;
  AudioFormat format_;
  double model_rate_;
  std::unique_ptr<audio::Resampler> resampler_;  // null when the rates are equal
  std::unique_ptr<pipeline::CtcSession> ctc_;
  std::unique_ptr<pipeline::KeywordSpotter> keywords_;
  std::unique_ptr<pipeline::TranscriptKeywords> transcript_keywords_;  // CTC with keywords
  std::vector<unsigned char> partial_frame_;  // bytes of a frame split between messages
  std::vector<float> mono_, samples_buf_;
  std::vector<pipeline::LiveEvent> live_events_;  // Advance's, reused
  std::int64_t samples_ = 0;  // at the model's rate
  long results_ = 0;
};

}  // namespace auris::serve
