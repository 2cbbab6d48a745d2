#include "auris/dsp/frame_options.h"

#include <cmath>
#include <sstream>

#include "auris/core/error.h"

namespace auris::dsp {

namespace {

int RoundUpToPowerOfTwo(int n) {
  int p = 1;
  while (p < n) p <<= 1;
  return p;
}

}  // namespace

// Kaldi: static_cast<int32>(samp_freq * 0.001 * frame_shift_ms), float fields
// promoted to double by the 0.001 literal.
int FrameOptions::WindowShift() const {
  return static_cast<int>(sample_frequency_hz * 0.001 * frame_shift_ms);
}

int FrameOptions::WindowSize() const {
  return static_cast<int>(sample_frequency_hz * 0.001 * frame_length_ms);
}

FrameOptions StackedFraming(FrameOptions f, int n) {
  if (n == 1) return f;
  const int shift = f.WindowShift();
  const int size = f.WindowSize() + (n - 1) * shift;
  // Half a sample above the exact count, so the truncating sample counts
  // above give exactly n * shift and size.
  f.frame_shift_ms = static_cast<float>((n * shift + 0.5) * 1000.0 / f.sample_frequency_hz);
  f.frame_length_ms = static_cast<float>((size + 0.5) * 1000.0 / f.sample_frequency_hz);
  return f;
}

int FrameOptions::PaddedWindowSize() const {
  const int size = WindowSize();
  return round_to_power_of_two ? RoundUpToPowerOfTwo(size) : size;
}

void FrameOptions::Validate() const {
  if (!(sample_frequency_hz > 0) || !std::isfinite(sample_frequency_hz))
    throw MakeError("--sample-frequency (", sample_frequency_hz, ") must be > 0");
  if (!(frame_shift_ms > 0) || WindowShift() < 1)
    throw MakeError("--frame-shift (", frame_shift_ms, " ms) must give at least 1 sample at ",
                    sample_frequency_hz, " Hz");
  if (!(frame_length_ms > 0) || WindowSize() < 2)
    throw MakeError("--frame-length (", frame_length_ms, " ms) must give at least 2 samples at ",
                    sample_frequency_hz, " Hz");
  if (PaddedWindowSize() % 2 != 0)
    throw MakeError("--frame-length (", frame_length_ms, " ms) gives an odd FFT size (",
                    PaddedWindowSize(),
                    "); use --round-to-power-of-two=true or change --frame-length");
  if (!(dither >= 0) || !std::isfinite(dither))
    throw MakeError("--dither (", dither, ") must be >= 0");
  if (!(preemph_coeff >= 0 && preemph_coeff <= 1))
    throw MakeError("--preemphasis-coefficient (", preemph_coeff, ") must be in [0, 1]");
  if (window_type != "hamming" && window_type != "hanning" && window_type != "povey" &&
      window_type != "rectangular" && window_type != "blackman")
    throw MakeError("--window-type (", window_type,
                    ") must be one of hamming, hanning, povey, rectangular, blackman");
  if (!std::isfinite(blackman_coeff))
    throw MakeError("--blackman-coeff (", blackman_coeff, ") must be finite");
}

std::string FrameOptions::ToString() const {
  std::ostringstream os;
  os << "FrameOptions{sample_frequency_hz=" << sample_frequency_hz
     << ", frame_shift_ms=" << frame_shift_ms << ", frame_length_ms=" << frame_length_ms
     << ", dither=" << dither << ", dither_seed=" << dither_seed
     << ", preemph_coeff=" << preemph_coeff << ", remove_dc_offset=" << remove_dc_offset
     << ", window_type=" << window_type << ", periodic_window=" << periodic_window
     << ", round_to_power_of_two=" << round_to_power_of_two
     << ", blackman_coeff=" << blackman_coeff << ", snip_edges=" << snip_edges << "}";
  return os.str();
}

float MelOptions::HighFreqHz(float sample_frequency_hz) const {
  const float nyquist = 0.5f * sample_frequency_hz;
  return high_freq_hz > 0.0f ? high_freq_hz : nyquist + high_freq_hz;
}

float MelOptions::VtlnHighHz(float sample_frequency_hz) const {
  return vtln_high_hz < 0.0f ? vtln_high_hz + 0.5f * sample_frequency_hz : vtln_high_hz;
}

void MelOptions::Validate(float sample_frequency_hz) const {
  if (num_bins < 3) throw MakeError("--num-mel-bins (", num_bins, ") must be >= 3");
  const float nyquist = 0.5f * sample_frequency_hz;
  const float high = HighFreqHz(sample_frequency_hz);
  if (!(low_freq_hz >= 0.0f && low_freq_hz < nyquist))
    throw MakeError("--low-freq (", low_freq_hz, ") must be in [0, Nyquist ", nyquist, ")");
  if (!(high > 0.0f && high <= nyquist && high > low_freq_hz))
    throw MakeError("--high-freq (", high_freq_hz, ", i.e. ", high,
                    " Hz) must be in (--low-freq ", low_freq_hz, ", Nyquist ", nyquist,
                    "]; values <= 0 are offsets from Nyquist");
  if (triangles != "mel" && triangles != "hz")
    throw MakeError("--mel-triangles (", triangles, ") must be mel or hz");
  if (!(vtln_warp > 0.0f) || !std::isfinite(vtln_warp))
    throw MakeError("--vtln-warp (", vtln_warp, ") must be > 0");
  if (vtln_warp == 1.0f) return;
  // Kaldi's MelBanks conditions for a warp != 1.
  if (triangles != "mel")
    throw MakeError("--vtln-warp (", vtln_warp, ") needs --mel-triangles=mel (is ", triangles,
                    ")");
  if (!(vtln_low_hz > low_freq_hz && vtln_low_hz < high))
    throw MakeError("--vtln-low (", vtln_low_hz, ") must be in (--low-freq ", low_freq_hz,
                    ", --high-freq ", high, ") when --vtln-warp (", vtln_warp, ") != 1");
  const float vtln_high = VtlnHighHz(sample_frequency_hz);
  if (!(vtln_high > vtln_low_hz && vtln_high < high))
    throw MakeError("--vtln-high (", vtln_high_hz, ", i.e. ", vtln_high,
                    " Hz) must be in (--vtln-low ", vtln_low_hz, ", --high-freq ", high,
                    ") when --vtln-warp (", vtln_warp,
                    ") != 1; values < 0 are offsets from Nyquist");
}

std::string MelOptions::ToString() const {
  std::ostringstream os;
  os << "MelOptions{num_bins=" << num_bins << ", low_freq_hz=" << low_freq_hz
     << ", high_freq_hz=" << high_freq_hz << ", triangles=" << triangles
     << ", vtln_warp=" << vtln_warp << ", vtln_low_hz=" << vtln_low_hz
     << ", vtln_high_hz=" << vtln_high_hz << "}";
  return os.str();
}

}  // namespace auris::dsp
