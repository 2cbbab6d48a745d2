#include "auris/pipeline/keyword_spotter.h"

#include <algorithm>
#include <cmath>
#include <sstream>

#include "auris/core/error.h"
#include "auris/dsp/feature_window.h"

namespace auris::pipeline {
namespace {

constexpr std::int64_t kEnergyBlocks = 64;  // >> frames in flight (input is fed a frame shift at a time)

float Db(double mean_square) {
  // Relative to int16 full scale, floored at -90 dB (digital silence).
  return static_cast<float>(std::max(-90.0, 10 * std::log10(std::max(mean_square / (32768.0 * 32768.0), 1e-30))));
}

const Recognizer& Checked(const Recognizer& r, const KeywordSpotterOptions& o) {
  o.Validate();
  CheckStreamableClassifier(r);
  // Its windows, hops and peak times count feature frames, one model step each.
  if (r.Model().Stack() > 1)
    throw MakeError("keyword spotting needs a model that reads one frame per step; this one stacks ",
                    r.Model().Stack());
  return r;
}

}  // namespace

void KeywordSpotterOptions::Validate() const {
  if (!(window_ms > 0)) throw MakeError("--window-ms must be > 0, got ", window_ms);
  if (!(hop_ms > 0 && hop_ms <= window_ms))
    throw MakeError("--hop-ms must be > 0 and <= --window-ms (", window_ms, "), got ", hop_ms);
  if (!(min_age_ms >= 0 && min_age_ms < window_ms))
    throw MakeError("--min-age-ms must be >= 0 and < --window-ms (", window_ms, "), got ", min_age_ms);
  decision.Validate();
  locator.Validate();
}

std::string KeywordSpotterOptions::ToString() const {
  std::ostringstream s;
  s << "--window-ms=" << window_ms << " --hop-ms=" << hop_ms << " --min-age-ms=" << min_age_ms << " "
    << decision.ToString();
  return s.str();
}

KeywordSpotter::KeywordSpotter(const Recognizer& recognizer, const KeywordSpotterOptions& options)
    : rec_(&Checked(recognizer, options)),
      options_(options),
      rate_(recognizer.SampleRate()),
      frame_opts_(recognizer.Features().features.Frame()),
      window_frames_(std::max<std::int64_t>(1, std::llround(options.window_ms / 1000 * rate_ / frame_opts_.WindowShift()))),
      hop_frames_(std::max<std::int64_t>(1, std::llround(options.hop_ms / 1000 * rate_ / frame_opts_.WindowShift()))),
      min_age_frames_(std::llround(options.min_age_ms / 1000 * rate_ / frame_opts_.WindowShift())),
      features_(recognizer.Features().features),
      normaliser_(recognizer.Features()),
      decider_(recognizer.Labels(), options.decision, frame_opts_.WindowShift() / rate_),
      row_(static_cast<std::size_t>(features_.Dim())),
      scores_(recognizer.Labels().size()),
      winner_(recognizer.Labels().size()),
      frame_energy_(static_cast<std::size_t>(window_frames_ + 1)),
      block_energy_(kEnergyBlocks),
      span_att_(static_cast<std::size_t>(window_frames_)),
      span_energy_(static_cast<std::size_t>(window_frames_)),
      scratch_(static_cast<std::size_t>(window_frames_)) {
  const auto n = static_cast<std::size_t>((window_frames_ + hop_frames_ - 1) / hop_frames_);
  streams_.reserve(n);
  live_.reserve(n);
  for (std::size_t i = 0; i < n; ++i) {
    streams_.push_back({PooledStream(recognizer), 0, window_frames_, {}});
    streams_.back().attention.resize(static_cast<std::size_t>(window_frames_));
  }
}

std::vector<KeywordEvent> KeywordSpotter::Accept(const float* samples, std::int64_t n) {
  std::vector<KeywordEvent> events;
  // A frame shift at a time, so the energy of each frame's samples is still
  // in the block ring when the frame is run, and events come out promptly.
  const std::int64_t step = frame_opts_.WindowShift();
  for (std::int64_t at = 0; at < n;) {
    const std::int64_t k = std::min(step - samples_ % step, n - at);
    AddEnergy(samples + at, k);
    features_.AcceptWaveform(static_cast<float>(rate_), samples + at, k);
    at += k;
    RunAvailableFrames(events);
  }
  return events;
}

std::vector<KeywordEvent> KeywordSpotter::Finish() {
  std::vector<KeywordEvent> events;
  features_.InputFinished();
  RunAvailableFrames(events);
  return events;
}

void KeywordSpotter::AddEnergy(const float* samples, std::int64_t n) {
  const std::int64_t shift = frame_opts_.WindowShift();
  for (std::int64_t i = 0; i < n; ++i) block_sum_ += static_cast<double>(samples[i]) * samples[i];
  samples_ += n;
  // `samples` never crosses a block boundary (Accept feeds up to the next one).
  const std::int64_t block = (samples_ - 1) / shift;
  const std::int64_t filled = samples_ - block * shift;
  block_energy_[static_cast<std::size_t>(block % kEnergyBlocks)] = Db(block_sum_ / static_cast<double>(filled));
  if (filled == shift) block_sum_ = 0;
}

// The energy of the frame-shift block holding the frame's centre (the block
// being filled at the end of the input, when the last frames are flushed).
float KeywordSpotter::FrameEnergyDb(std::int64_t frame) const {
  const std::int64_t centre = dsp::FirstSampleOfFrame(frame, frame_opts_) + frame_opts_.WindowSize() / 2;
  const std::int64_t last = samples_ > 0 ? (samples_ - 1) / frame_opts_.WindowShift() : 0;
  const std::int64_t block = std::clamp<std::int64_t>(centre / frame_opts_.WindowShift(), 0, last);
  return block_energy_[static_cast<std::size_t>(block % kEnergyBlocks)];
}

void KeywordSpotter::RunAvailableFrames(std::vector<KeywordEvent>& events) {
  while (frames_ < features_.NumFramesReady()) {
    features_.GetFrame(frames_, row_.data());
    features_.Pop(1);
    normaliser_.Apply(row_.data());
    RunFrame(events);
    ++frames_;
  }
}

void KeywordSpotter::RunFrame(std::vector<KeywordEvent>& events) {
  if (frames_ % hop_frames_ == 0) {  // start a stream in a dead slot
    for (Slot& s : streams_) {
      if (s.age < window_frames_) continue;
      s.net.Reset();
      s.start = frames_;
      s.age = 0;
      break;
    }
  }
  frame_energy_[static_cast<std::size_t>(frames_ % (window_frames_ + 1))] = FrameEnergyDb(frames_);
  std::fill(scores_.begin(), scores_.end(), 0.0f);
  std::fill(winner_.begin(), winner_.end(), -1);
  live_.clear();
  for (Slot& s : streams_)
    if (s.age < window_frames_) live_.push_back(&s.net);
  PooledStream::StepMany(live_, row_.data());  // one pass over the weights for all streams
  for (std::size_t i = 0; i < streams_.size(); ++i) {
    Slot& s = streams_[i];
    if (s.age >= window_frames_) continue;
    s.attention[static_cast<std::size_t>(s.age)] = s.net.LastAttentionScore();
    ++s.age;
    if (s.age < std::max<std::int64_t>(1, min_age_frames_)) continue;
    const std::vector<float>& p = s.net.Posteriors();
    for (std::size_t k = 0; k < scores_.size(); ++k) {
      if (winner_[k] >= 0 && p[k] <= scores_[k]) continue;
      scores_[k] = p[k];
      winner_[k] = static_cast<int>(i);
    }
  }
  for (int label : decider_.Accept(scores_.data())) events.push_back(MakeEvent(label, decider_.EventScore(label)));
}

KeywordEvent KeywordSpotter::MakeEvent(int label, float score) {
  KeywordEvent e;
  e.label = rec_->Labels()[static_cast<std::size_t>(label)];
  e.label_index = label;
  e.score = score;
  e.emitted_at_s = SecondsSeen();
  // The winning stream's frames; without one (no stream old enough: only
  // possible with smoothing over the first frames), the last window.
  const int w = winner_[static_cast<std::size_t>(label)];
  const std::int64_t first = w >= 0 ? streams_[static_cast<std::size_t>(w)].start
                                     : std::max<std::int64_t>(0, frames_ + 1 - window_frames_);
  const auto n = static_cast<std::size_t>(frames_ + 1 - first);
  for (std::size_t i = 0; i < n; ++i) {
    const auto f = first + static_cast<std::int64_t>(i);
    span_energy_[i] = frame_energy_[static_cast<std::size_t>(f % (window_frames_ + 1))];
    if (w >= 0) span_att_[i] = streams_[static_cast<std::size_t>(w)].attention[i];
  }
  // Without attention scores LocateKeyword falls back to the energies alone.
  const bool has_att = w >= 0 && streams_[static_cast<std::size_t>(w)].net.HasAttention();
  const std::span<const float> att = has_att ? std::span<const float>(span_att_.data(), n) : std::span<const float>();
  const FrameSpan s = LocateKeyword(att, {span_energy_.data(), n}, options_.locator, scratch_);
  const double shift_s = frame_opts_.WindowShift() / rate_;
  auto block_start_s = [&](std::int64_t frame) {
    const std::int64_t centre = dsp::FirstSampleOfFrame(frame, frame_opts_) + frame_opts_.WindowSize() / 2;
    return static_cast<double>(std::max<std::int64_t>(0, centre / frame_opts_.WindowShift())) * shift_s;
  };
  e.start_s = block_start_s(first + s.first);
  e.end_s = block_start_s(first + s.last) + shift_s;
  return e;
}

}  // namespace auris::pipeline
