#include "auris/serve/stream_engine.h"

#include <algorithm>
#include <cmath>
#include <cstring>

#include "auris/audio/resample.h"
#include "auris/core/check.h"
#include "auris/core/error.h"
#include "auris/pipeline/ctc_session.h"
#include "auris/pipeline/keyword_spotter.h"
#include "auris/pipeline/keyword_threshold.h"
#include "auris/pipeline/live_json.h"
#include "auris/pipeline/transcript_keywords.h"

namespace auris::serve {

StreamEngine::StreamEngine(const pipeline::Recognizer& rec, const AudioFormat& format,
                           const std::vector<std::string>& keywords, double threshold)
    : rec_(&rec), format_(format), model_rate_(rec.SampleRate()) {
  // The options `auris live` uses without flags, so results are the same.
  if (rec.Task() == pipeline::ModelTask::kCtc) {
    ctc_ = std::make_unique<pipeline::CtcSession>(rec, rec.Decoding(), pipeline::EndpointOptions{});
    if (!keywords.empty())
      transcript_keywords_ = std::make_unique<pipeline::TranscriptKeywords>(
          rec, pipeline::TranscriptKeywordOptions{keywords, threshold});
  } else {
    if (!keywords.empty())
      throw Error("\"keywords\" is for CTC models: this model is a keyword spotter with its own keywords");
    keywords_ = std::make_unique<pipeline::KeywordSpotter>(rec, pipeline::ModelKeywordOptions(rec));
  }
  if (format.sample_rate_hz != model_rate_)
    resampler_ = std::make_unique<audio::Resampler>(format.sample_rate_hz, model_rate_);
}

StreamEngine::~StreamEngine() = default;

void StreamEngine::Decode(const unsigned char* b, std::size_t frames) {
  const int ch = format_.channels;
  const bool s16 = format_.encoding == AudioFormat::Encoding::kS16le;
  const std::size_t width = s16 ? 2 : 4;
  mono_.resize(frames);
  for (std::size_t f = 0; f < frames; ++f) {
    float sum = 0;
    for (int c = 0; c < ch; ++c) {
      const unsigned char* p = b + (f * static_cast<std::size_t>(ch) + static_cast<std::size_t>(c)) * width;
      if (s16) {
        sum += static_cast<float>(static_cast<std::int16_t>(p[0] | (p[1] << 8)));
      } else {
        const std::uint32_t u = p[0] | (p[1] << 8) | (p[2] << 16) | (static_cast<std::uint32_t>(p[3]) << 24);
        float x;
        std::memcpy(&x, &u, 4);
        // Kaldi's int16 scale; NaN / inf from a broken client become silence.
        sum += std::isfinite(x) ? x * 32768.0f : 0.0f;
      }
    }
    mono_[f] = sum / static_cast<float>(ch);
  }
}

void StreamEngine::Add(const std::vector<pipeline::LiveEvent>& in, std::vector<std::string>* events) {
  for (const pipeline::LiveEvent& e : in) {
    if (e.type == pipeline::LiveEvent::Type::kFinal) ++results_;
    events->push_back(pipeline::LiveEventJson(e));
  }
}

void StreamEngine::Add(const std::vector<pipeline::KeywordEvent>& in, std::vector<std::string>* events) {
  for (const pipeline::KeywordEvent& e : in) {
    ++results_;
    events->push_back(pipeline::KeywordEventJson(e));
  }
}

void StreamEngine::Run(std::vector<std::string>* events) {
  const float* x = samples_buf_.data();
  const auto n = static_cast<std::int64_t>(samples_buf_.size());
  samples_ += n;
  if (ctc_) ctc_->Queue(x, n);
  else Add(keywords_->Accept(x, n), events);
}

void StreamEngine::Push(const unsigned char* bytes, std::size_t n, std::vector<std::string>* events) {
  const std::size_t frame = static_cast<std::size_t>(format_.BytesPerFrame());
  // Complete the frame the last message split, then whole frames, keeping the rest.
  std::size_t used = 0;
  samples_buf_.clear();
  if (!partial_frame_.empty()) {
    used = std::min(n, frame - partial_frame_.size());
    partial_frame_.insert(partial_frame_.end(), bytes, bytes + used);
    if (partial_frame_.size() < frame) return;
    Decode(partial_frame_.data(), 1);
    partial_frame_.clear();
    samples_buf_.insert(samples_buf_.end(), mono_.begin(), mono_.end());
  }
  const std::size_t frames = (n - used) / frame;
  Decode(bytes + used, frames);
  samples_buf_.insert(samples_buf_.end(), mono_.begin(), mono_.end());
  used += frames * frame;
  partial_frame_.assign(bytes + used, bytes + n);
  if (resampler_) {
    mono_.swap(samples_buf_);
    samples_buf_.clear();
    resampler_->Process(mono_.data(), mono_.size(), &samples_buf_);
  }
  Run(events);
}

void StreamEngine::PushEnd(std::vector<std::string>* events) {
  if (!partial_frame_.empty())
    throw MakeError("the audio ends inside a sample frame (", partial_frame_.size(), " stray bytes; a frame is ",
                    format_.BytesPerFrame(), " bytes)");
  samples_buf_.clear();
  if (resampler_) resampler_->Flush(&samples_buf_);
  Run(events);
  if (ctc_) ctc_->QueueFinish();
  else Add(keywords_->Finish(), events);
}

const float* StreamEngine::Advance(std::vector<std::string>* events) {
  if (!ctc_) return nullptr;  // the spotter ran in Push
  const float* frame = ctc_->Advance(live_events_);
  Add(live_events_, events);
  // As `auris live --keywords`: after the step's events, the keywords of its
  // finals, then of the stable words.
  if (transcript_keywords_)
    for (const pipeline::KeywordEvent& k : transcript_keywords_->After(live_events_, *ctc_))
      events->push_back(pipeline::KeywordEventJson(k));
  live_events_.clear();
  return frame;
}

nn::ModelStream& StreamEngine::Network() {
  AURIS_CHECK(ctc_ != nullptr) << "only a CTC model's network is stepped from outside";
  return ctc_->Network();
}

void StreamEngine::RunQueued(std::vector<std::string>* events) {
  while (const float* frame = Advance(events)) Network().Step(frame);
}

void StreamEngine::Accept(const unsigned char* bytes, std::size_t n, std::vector<std::string>* events) {
  Push(bytes, n, events);
  RunQueued(events);
}

void StreamEngine::Finish(std::vector<std::string>* events) {
  PushEnd(events);
  RunQueued(events);
}

}  // namespace auris::serve
