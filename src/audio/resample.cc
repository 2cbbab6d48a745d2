#include "auris/audio/resample.h"

#include <soxr.h>

#include <cmath>

#include "auris/core/error.h"

namespace auris::audio {
namespace {

void CheckRates(double in_rate, double out_rate) {
  if (!(in_rate > 0) || !(out_rate > 0) || !std::isfinite(in_rate) || !std::isfinite(out_rate))
    throw MakeError("resample: invalid rates ", in_rate, " -> ", out_rate, " Hz");
}

soxr_quality_spec_t QualitySpec(ResampleQuality q) {
  return soxr_quality_spec(q == ResampleQuality::kVeryHigh ? SOXR_VHQ : SOXR_HQ, 0);
}

soxr_t Create(double in_rate, double out_rate, ResampleQuality q) {
  soxr_error_t error = nullptr;
  const soxr_io_spec_t io = soxr_io_spec(SOXR_FLOAT32_I, SOXR_FLOAT32_I);
  const soxr_quality_spec_t quality = QualitySpec(q);
  // One thread: callers parallelise over utterances, not inside one.
  const soxr_runtime_spec_t runtime = soxr_runtime_spec(1);
  soxr_t s = soxr_create(in_rate, out_rate, 1, &error, &io, &quality, &runtime);
  if (error != nullptr) throw MakeError("resample ", in_rate, " -> ", out_rate, " Hz: ", error);
  return s;
}

}  // namespace

std::vector<float> Resample(const std::vector<float>& in, double in_rate, double out_rate,
                            ResampleQuality quality) {
  CheckRates(in_rate, out_rate);
  if (in_rate == out_rate) return in;
  const std::size_t olen =
      static_cast<std::size_t>(std::llround(static_cast<double>(in.size()) * out_rate / in_rate));
  std::vector<float> out(olen);
  std::size_t odone = 0;
  const soxr_io_spec_t io = soxr_io_spec(SOXR_FLOAT32_I, SOXR_FLOAT32_I);
  const soxr_quality_spec_t q = QualitySpec(quality);
  const soxr_runtime_spec_t runtime = soxr_runtime_spec(1);
  const soxr_error_t error = soxr_oneshot(in_rate, out_rate, 1, in.data(), in.size(), nullptr,
                                          out.data(), out.size(), &odone, &io, &q, &runtime);
  if (error != nullptr) throw MakeError("resample ", in_rate, " -> ", out_rate, " Hz: ", error);
  out.resize(odone);
  return out;
}

Resampler::Resampler(double in_rate, double out_rate, ResampleQuality quality)
    : in_rate_(in_rate), out_rate_(out_rate), quality_(quality) {
  CheckRates(in_rate, out_rate);
  soxr_ = Create(in_rate, out_rate, quality);
}

Resampler::~Resampler() { soxr_delete(static_cast<soxr_t>(soxr_)); }

void Resampler::Drain(const float* in, std::size_t n, std::vector<float>* out) {
  auto* s = static_cast<soxr_t>(soxr_);
  const double ratio = out_rate_ / in_rate_;
  std::size_t consumed = 0;
  while (true) {
    const std::size_t room = static_cast<std::size_t>(static_cast<double>(n - consumed) * ratio) + 1024;
    const std::size_t start = out->size();
    out->resize(start + room);
    std::size_t idone = 0, odone = 0;
    // in == nullptr signals end of input to soxr.
    const soxr_error_t error = soxr_process(s, in == nullptr ? nullptr : in + consumed, n - consumed,
                                            &idone, out->data() + start, room, &odone);
    out->resize(start + odone);
    if (error != nullptr) throw MakeError("resample ", in_rate_, " -> ", out_rate_, " Hz: ", error);
    consumed += idone;
    // Done when all input is taken and soxr had no more output than fitted.
    if (consumed >= n && odone < room) return;
  }
}

void Resampler::Process(const float* in, std::size_t n, std::vector<float>* out) {
  if (flushed_) throw MakeError("Resampler::Process called after Flush without Reset");
  if (n == 0) return;
  Drain(in, n, out);
}

void Resampler::Flush(std::vector<float>* out) {
  if (flushed_) return;
  Drain(nullptr, 0, out);
  flushed_ = true;
}

void Resampler::Reset() {
  soxr_clear(static_cast<soxr_t>(soxr_));
  flushed_ = false;
}

}  // namespace auris::audio
