#include "auris/train/augment.h"

#include <algorithm>
#include <cmath>
#include <sstream>

#include "auris/audio/resample.h"
#include "auris/core/error.h"
#include "auris/pipeline/vtln_search.h"

namespace auris::train {

namespace {

void CheckRange(const char* lo_name, double lo, const char* hi_name, double hi) {
  if (!std::isfinite(lo) || !std::isfinite(hi) || lo > hi)
    throw MakeError("augment: ", lo_name, " (", lo, ") must be <= ", hi_name, " (", hi,
                    "), both finite");
}

// The multiples k * step of the VTLP grid inside [vtlp_min, vtlp_max].
void VtlpGrid(const AugmentOptions& o, double* k_lo, double* k_hi) {
  *k_lo = std::ceil(o.vtlp_min / o.vtlp_step - 1e-9);
  *k_hi = std::floor(o.vtlp_max / o.vtlp_step + 1e-9);
}

// Rows [start, start + width) or columns of m set to the column means.
void ApplyMask(Matrix& m, const SpecMask& mask, const std::vector<float>& means) {
  if (mask.time) {
    for (int t = mask.start; t < mask.start + mask.width; ++t)
      for (Eigen::Index d = 0; d < m.cols(); ++d) m(t, d) = means[d];
  } else {
    for (Eigen::Index t = 0; t < m.rows(); ++t)
      for (int d = mask.start; d < mask.start + mask.width; ++d) m(t, d) = means[d];
  }
}

}  // namespace

void AugmentOptions::Validate() const {
  CheckRange("speed_min", speed_min, "speed_max", speed_max);
  if (!(speed_min > 0)) throw MakeError("augment: speed_min (", speed_min, ") must be > 0");
  CheckRange("gain_db_min", gain_db_min, "gain_db_max", gain_db_max);
  if (!(pad_ms >= 0) || !std::isfinite(pad_ms)) throw MakeError("augment: pad_ms (", pad_ms, ") must be >= 0");
  if (!(shift_ms >= 0) || !std::isfinite(shift_ms))
    throw MakeError("augment: shift_ms (", shift_ms, ") must be >= 0");
  if (!(noise_prob >= 0 && noise_prob <= 1))
    throw MakeError("augment: noise_prob (", noise_prob, ") must be in [0, 1]");
  CheckRange("snr_db_min", snr_db_min, "snr_db_max", snr_db_max);
  CheckRange("vtlp_min", vtlp_min, "vtlp_max", vtlp_max);
  if (!(vtlp_min > 0)) throw MakeError("augment: vtlp_min (", vtlp_min, ") must be > 0");
  if (!(vtlp_step >= 0) || !std::isfinite(vtlp_step))
    throw MakeError("augment: vtlp_step (", vtlp_step, ") must be >= 0");
  if (vtlp_step > 0 && vtlp_min != vtlp_max) {
    double k_lo, k_hi;
    VtlpGrid(*this, &k_lo, &k_hi);
    if (k_lo > k_hi)
      throw MakeError("augment: no multiple of vtlp_step (", vtlp_step, ") in [vtlp_min ",
                      vtlp_min, ", vtlp_max ", vtlp_max, "]");
  }
  for (auto [name, value] : {std::pair{"time_masks", time_masks},
                             {"time_mask_max_frames", time_mask_max_frames},
                             {"freq_masks", freq_masks},
                             {"freq_mask_max_bins", freq_mask_max_bins}})
    if (value < 0) throw MakeError("augment: ", name, " (", value, ") must be >= 0");
}

std::string AugmentOptions::ToString() const {
  std::ostringstream os;
  os << "AugmentOptions{speed=[" << speed_min << ", " << speed_max << "], gain_db=["
     << gain_db_min << ", " << gain_db_max << "], shift_ms=" << shift_ms << ", pad_ms=" << pad_ms
     << ", noise_prob=" << noise_prob << ", snr_db=[" << snr_db_min << ", " << snr_db_max
     << "], noise_files=[";
  for (std::size_t i = 0; i < noise_files.size(); ++i) os << (i ? ", " : "") << noise_files[i];
  os << "], vtlp=[" << vtlp_min << ", " << vtlp_max << "], vtlp_step=" << vtlp_step
     << ", time_masks=" << time_masks << ", time_mask_max_frames=" << time_mask_max_frames
     << ", freq_masks=" << freq_masks << ", freq_mask_max_bins=" << freq_mask_max_bins << "}";
  return os.str();
}

std::string AugmentDraws::ToString() const {
  std::ostringstream os;
  os << "AugmentDraws{speed=" << speed << ", shift_samples=" << shift_samples
     << ", add_noise=" << add_noise << ", snr_db=" << snr_db << ", noise_source=" << noise_source
     << ", noise_start=" << noise_start << ", gain_db=" << gain_db
     << ", vtln_warp=" << vtln_warp << "}";
  return os.str();
}

AugmentDraws DrawAugmentation(const AugmentOptions& opts, double sample_rate_hz,
                              const NoiseBank* noise, Rng& rng) {
  opts.Validate();
  if (!opts.noise_files.empty() && (noise == nullptr || noise->size() == 0))
    throw Error("augment: noise_files are set but no NoiseBank was loaded from them");
  const bool files = noise != nullptr && noise->size() > 0;
  AugmentDraws d;
  // Fixed order and count: enabling one augmentation never changes another's draw.
  d.speed = rng.Uniform(opts.speed_min, opts.speed_max);
  const auto max_shift =
      static_cast<std::uint32_t>(std::llround(opts.shift_ms * sample_rate_hz / 1000.0));
  d.shift_samples =
      static_cast<int>(rng.Index(2 * max_shift + 1)) - static_cast<int>(max_shift);
  d.add_noise = rng.Uniform() < opts.noise_prob;
  d.snr_db = rng.Uniform(opts.snr_db_min, opts.snr_db_max);
  d.noise_source = static_cast<int>(
      rng.Index(files ? static_cast<std::uint32_t>(noise->size()) : kNumNoiseColours));
  d.noise_start = (static_cast<std::uint64_t>(rng.NextU32()) << 32) | rng.NextU32();
  d.gain_db = rng.Uniform(opts.gain_db_min, opts.gain_db_max);
  if (opts.vtlp_step > 0 && opts.vtlp_min != opts.vtlp_max) {
    double k_lo, k_hi;
    VtlpGrid(opts, &k_lo, &k_hi);
    d.vtln_warp = (k_lo + rng.Index(static_cast<std::uint32_t>(k_hi - k_lo + 1))) * opts.vtlp_step;
  } else {
    d.vtln_warp = rng.Uniform(opts.vtlp_min, opts.vtlp_max);  // exact when min == max
  }
  const auto max_pad = static_cast<std::uint32_t>(std::llround(opts.pad_ms * sample_rate_hz / 1000.0));
  d.lead_pad_samples = static_cast<int>(rng.Index(max_pad + 1));
  d.trail_pad_samples = static_cast<int>(rng.Index(max_pad + 1));
  return d;
}

double AugmentedTime(const AugmentDraws& d, double t_s, double sample_rate_hz) {
  return t_s / d.speed + (d.shift_samples + d.lead_pad_samples) / sample_rate_hz;
}

std::vector<float> AugmentWaveform(std::span<const float> samples, double sample_rate_hz,
                                   const AugmentDraws& d, const NoiseBank* noise) {
  std::vector<float> x(samples.begin(), samples.end());
  if (d.speed != 1.0 && !x.empty())
    x = audio::Resample(x, sample_rate_hz * d.speed, sample_rate_hz);
  if (d.shift_samples > 0) {
    x.insert(x.begin(), static_cast<std::size_t>(d.shift_samples), 0.0f);
  } else if (d.shift_samples < 0 && !x.empty()) {
    const std::size_t drop = std::min(static_cast<std::size_t>(-d.shift_samples), x.size() - 1);
    x.erase(x.begin(), x.begin() + static_cast<std::ptrdiff_t>(drop));
  }
  x.insert(x.begin(), static_cast<std::size_t>(d.lead_pad_samples), 0.0f);
  x.resize(x.size() + static_cast<std::size_t>(d.trail_pad_samples), 0.0f);
  if (d.add_noise && !x.empty()) {
    const double speech = ActivePower(x, sample_rate_hz);
    std::vector<float> segment;
    if (noise != nullptr && noise->size() > 0) {
      if (noise->SampleRateHz() != sample_rate_hz)
        throw MakeError("augment: noise bank at ", noise->SampleRateHz(), " Hz, audio at ",
                        sample_rate_hz, " Hz");
      if (d.noise_source < 0 || static_cast<std::size_t>(d.noise_source) >= noise->size())
        throw MakeError("augment: noise source ", d.noise_source, " not in the bank of ",
                        noise->size());
      const std::vector<float>& src = noise->Samples(d.noise_source);
      std::size_t at = d.noise_start % src.size();
      segment.resize(x.size());
      for (float& v : segment) {  // wraps around the recording
        v = src[at];
        if (++at == src.size()) at = 0;
      }
    } else {
      if (d.noise_source < 0 || d.noise_source >= kNumNoiseColours)
        throw MakeError("augment: noise colour ", d.noise_source, " not in [0, ",
                        kNumNoiseColours, ")");
      segment = ColouredNoise(static_cast<NoiseColour>(d.noise_source), x.size(), d.noise_start);
    }
    double noise_power = 0;
    for (float v : segment) noise_power += static_cast<double>(v) * v;
    noise_power /= static_cast<double>(segment.size());
    if (speech > 0 && noise_power > 0) {
      const double g = std::sqrt(speech / (noise_power * std::pow(10.0, d.snr_db / 10.0)));
      for (std::size_t i = 0; i < x.size(); ++i)
        x[i] = static_cast<float>(x[i] + g * segment[i]);
    }
  }
  if (d.gain_db != 0.0) {
    const double factor = std::pow(10.0, d.gain_db / 20.0);
    for (float& v : x) v = static_cast<float>(v * factor);
  }
  return x;
}

void ValidateVtlp(const AugmentOptions& opts, const dsp::FeatureOptions& features) {
  opts.Validate();
  const double warp = opts.vtlp_min != 1.0 ? opts.vtlp_min : opts.vtlp_max;
  if (warp == 1.0) return;
  try {
    pipeline::WithWarp(features, warp);
  } catch (const Error& e) {
    throw MakeError("augment: vtlp [", opts.vtlp_min, ", ", opts.vtlp_max,
                    "] does not fit the feature options: ", e.what());
  }
}

std::vector<SpecMask> SpecAugment(Matrix& features, const AugmentOptions& opts, Rng& rng) {
  opts.Validate();
  std::vector<SpecMask> masks;
  const int rows = static_cast<int>(features.rows()), cols = static_cast<int>(features.cols());
  auto draw = [&](bool time, int max_width, int size) {
    const int width =
        std::min(static_cast<int>(rng.Index(static_cast<std::uint32_t>(max_width) + 1)), size);
    const int start = static_cast<int>(rng.Index(static_cast<std::uint32_t>(size - width + 1)));
    masks.push_back(SpecMask{time, start, width});
  };
  for (int i = 0; i < opts.time_masks; ++i) draw(true, opts.time_mask_max_frames, rows);
  for (int i = 0; i < opts.freq_masks; ++i) draw(false, opts.freq_mask_max_bins, cols);
  if (masks.empty() || rows == 0) return masks;
  std::vector<float> means(cols);
  for (int d = 0; d < cols; ++d) {
    double sum = 0;
    for (int t = 0; t < rows; ++t) sum += features(t, d);
    means[d] = static_cast<float>(sum / rows);
  }
  for (const SpecMask& m : masks) ApplyMask(features, m, means);
  return masks;
}

}  // namespace auris::train
