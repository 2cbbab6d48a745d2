#include "auris/dsp/feature_extractor.h"

#include "auris/core/error.h"
#include "auris/dsp/option_table.h"

namespace auris::dsp {

void CheckSampleRate(float got_hz, float expected_hz) {
  if (got_hz != expected_hz)
    throw MakeError("audio sample rate ", got_hz, " Hz differs from --sample-frequency (",
                    expected_hz, " Hz); resample first");
}

OnlineFeatureExtractor::Variant OnlineFeatureExtractor::Make(const FeatureOptions& opts) {
  switch (TypeBit(opts.type)) {
    case kMfccBit:
      return Variant(std::in_place_index<0>, opts.mfcc);
    case kFbankBit:
      return Variant(std::in_place_index<1>, opts.fbank);
    case kPlpBit:
      return Variant(std::in_place_index<3>, opts.plp);
    default:
      return Variant(std::in_place_index<2>, opts.spectrogram);
  }
}

OnlineFeatureExtractor::OnlineFeatureExtractor(const FeatureOptions& opts) : impl_(Make(opts)) {}

int OnlineFeatureExtractor::Dim() const {
  return std::visit([](const auto& f) { return f.Dim(); }, impl_);
}
const FrameOptions& OnlineFeatureExtractor::GetFrameOptions() const {
  return std::visit([](const auto& f) -> const FrameOptions& { return f.GetFrameOptions(); },
                    impl_);
}
void OnlineFeatureExtractor::AcceptWaveform(float sample_rate, const float* samples,
                                            std::int64_t n) {
  std::visit([&](auto& f) { f.AcceptWaveform(sample_rate, samples, n); }, impl_);
}
void OnlineFeatureExtractor::InputFinished() {
  std::visit([](auto& f) { f.InputFinished(); }, impl_);
}
bool OnlineFeatureExtractor::IsInputFinished() const {
  return std::visit([](const auto& f) { return f.IsInputFinished(); }, impl_);
}
std::int64_t OnlineFeatureExtractor::NumFramesReady() const {
  return std::visit([](const auto& f) { return f.NumFramesReady(); }, impl_);
}
std::int64_t OnlineFeatureExtractor::NumFramesPopped() const {
  return std::visit([](const auto& f) { return f.NumFramesPopped(); }, impl_);
}
bool OnlineFeatureExtractor::IsLastFrame(std::int64_t frame) const {
  return std::visit([&](const auto& f) { return f.IsLastFrame(frame); }, impl_);
}
const float* OnlineFeatureExtractor::Frame(std::int64_t frame) const {
  return std::visit([&](const auto& f) { return f.Frame(frame); }, impl_);
}
void OnlineFeatureExtractor::GetFrame(std::int64_t frame, float* out) const {
  std::visit([&](const auto& f) { f.GetFrame(frame, out); }, impl_);
}
Matrix OnlineFeatureExtractor::GetFrames(std::int64_t first, std::int64_t count) const {
  return std::visit([&](const auto& f) { return f.GetFrames(first, count); }, impl_);
}
void OnlineFeatureExtractor::Pop(std::int64_t n) {
  std::visit([&](auto& f) { f.Pop(n); }, impl_);
}
Matrix OnlineFeatureExtractor::PopAll() {
  return std::visit([](auto& f) { return f.PopAll(); }, impl_);
}

Matrix ComputeFeatures(const FeatureOptions& opts, const float* samples, std::int64_t n) {
  OnlineFeatureExtractor extractor(opts);
  extractor.AcceptWaveform(extractor.GetFrameOptions().sample_frequency_hz, samples, n);
  extractor.InputFinished();
  return extractor.PopAll();
}

}  // namespace auris::dsp
