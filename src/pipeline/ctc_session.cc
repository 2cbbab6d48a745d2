#include "auris/pipeline/ctc_session.h"

#include <algorithm>

#include "auris/core/error.h"

namespace auris::pipeline {

void EndpointOptions::Validate() const {
  if (!(trailing_silence_ms > 0)) throw MakeError("--endpoint-ms must be > 0, got ", trailing_silence_ms);
  if (!(max_utterance_s > 0)) throw MakeError("--max-utterance must be > 0, got ", max_utterance_s);
}

CtcSession::CtcSession(const Recognizer& rec, const TranscribeOptions& decode, const EndpointOptions& endpoint)
    : rec_(&rec),
      decode_(decode),
      endpoint_(endpoint),
      rate_(rec.SampleRate()),
      frame_shift_s_(rec.OutputFraming().WindowShift() / rec.SampleRate()),
      stream_(std::make_unique<CtcStream>(rec, decode)),
      step_(std::max<std::int64_t>(1, static_cast<std::int64_t>(frame_shift_s_ * rate_))) {
  endpoint_.Validate();
}

CtcSession::~CtcSession() = default;

std::vector<LiveEvent> CtcSession::Accept(const float* samples, std::int64_t n) {
  Queue(samples, n);
  return RunQueued();
}

std::vector<LiveEvent> CtcSession::Finish() {
  QueueFinish();
  return RunQueued();
}

std::vector<LiveEvent> CtcSession::RunQueued() {
  std::vector<LiveEvent> events;
  while (const float* frame = Advance(events)) Network().Step(frame);
  return events;
}

namespace {

void Shift(std::vector<TimedWord>& words, double offset_s) {
  for (TimedWord& w : words) w.start_s += offset_s, w.end_s += offset_s;
}

}  // namespace

std::vector<TimedWord> CtcSession::StableWords() const {
  std::vector<TimedWord> words = stream_->StableWords().words;
  Shift(words, static_cast<double>(utterance_start_) / rate_);
  return words;
}

void CtcSession::Queue(const float* samples, std::int64_t n) {
  if (queued_at_ == queued_.size()) queued_.clear(), queued_at_ = 0;
  queued_.insert(queued_.end(), samples, samples + n);
}

void CtcSession::QueueFinish() { finish_queued_ = true; }

// The input goes in pieces of at most one frame shift, cut at multiples of
// it from the session's start, and partials and the endpoint are checked at
// each piece's end: an endpoint is seen at the frame where it happens, the
// next utterance starts right after it, and how the audio arrived (chunk
// sizes) changes nothing.
const float* CtcSession::Advance(std::vector<LiveEvent>& events) {
  for (;;) {
    if (stepping_) {
      stepping_ = false;
      stream_->AcceptNetworkOutput();
    }
    if (fed_) {
      if (const float* frame = stream_->NextFrame()) {
        stepping_ = true;
        return frame;
      }
      fed_ = false;
      if (finishing_) {
        finishing_ = false;
        Close(events);
        return nullptr;
      }
      if (samples_ % step_ == 0) Check(events);
    }
    if (queued_at_ < queued_.size()) {
      const std::int64_t k =
          std::min(step_ - samples_ % step_, static_cast<std::int64_t>(queued_.size() - queued_at_));
      stream_->QueueWaveform(queued_.data() + queued_at_, k);
      queued_at_ += static_cast<std::size_t>(k);
      samples_ += k;
      fed_ = true;
      continue;
    }
    if (!finish_queued_) return nullptr;
    finish_queued_ = false;
    if (samples_ % step_ != 0) Check(events);  // the last piece was short
    stream_->QueueInputFinished();
    fed_ = finishing_ = true;
  }
}

void CtcSession::Check(std::vector<LiveEvent>& events) {
  const double start = static_cast<double>(utterance_start_) / rate_;
  if (stream_->FramesDone() != partial_frames_) {  // the text can only change with a new frame
    partial_frames_ = stream_->FramesDone();
    std::string text = stream_->PartialText();
    if (text != partial_) {
      partial_ = std::move(text);
      events.push_back({LiveEvent::Type::kPartial, partial_, start, SecondsSeen(), {}});
    }
  }
  const double silence_s = static_cast<double>(stream_->FramesDone() - 1 - stream_->LastSpeechFrame()) * frame_shift_s_;
  const bool pause = stream_->LastLabelFrame() >= 0 && silence_s * 1000 >= endpoint_.trailing_silence_ms;
  if (pause || SecondsSeen() - start >= endpoint_.max_utterance_s) Close(events);
}

void CtcSession::Close(std::vector<LiveEvent>& events) {
  Transcript t = stream_->Result();
  if (!t.words.empty()) {
    Shift(t.words, static_cast<double>(utterance_start_) / rate_);
    events.push_back({LiveEvent::Type::kFinal, t.text, t.words.front().start_s, t.words.back().end_s, t.words});
  }
  stream_ = std::make_unique<CtcStream>(*rec_, decode_);
  utterance_start_ = samples_;
  partial_.clear();
  partial_frames_ = 0;
}

}  // namespace auris::pipeline
