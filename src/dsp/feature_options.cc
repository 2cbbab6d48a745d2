#include "auris/dsp/feature_options.h"

#include <cmath>
#include <sstream>

#include "auris/core/error.h"
#include "auris/dsp/option_table.h"

namespace auris::dsp {

namespace {

void ValidateEnergyFloor(float energy_floor) {
  if (!(energy_floor >= 0) || !std::isfinite(energy_floor))
    throw MakeError("--energy-floor (", energy_floor, ") must be >= 0");
}

void ValidateLogOffset(float log_offset) {
  if (!(log_offset >= 0) || !std::isfinite(log_offset))
    throw MakeError("--log-offset (", log_offset, ") must be >= 0");
}

}  // namespace

void MfccOptions::Validate() const {
  frame.Validate();
  mel.Validate(frame.sample_frequency_hz);
  if (num_ceps < 1) throw MakeError("--num-ceps (", num_ceps, ") must be >= 1");
  if (num_ceps > mel.num_bins)
    throw MakeError("--num-ceps (", num_ceps, ") must be <= --num-mel-bins (", mel.num_bins, ")");
  if (!(cepstral_lifter >= 0) || !std::isfinite(cepstral_lifter))
    throw MakeError("--cepstral-lifter (", cepstral_lifter, ") must be >= 0");
  ValidateEnergyFloor(energy_floor);
  ValidateLogOffset(log_offset);
}

std::string MfccOptions::ToString() const {
  std::ostringstream os;
  os << "MfccOptions{" << frame.ToString() << ", " << mel.ToString()
     << ", num_ceps=" << num_ceps << ", use_energy=" << use_energy
     << ", energy_floor=" << energy_floor << ", raw_energy=" << raw_energy
     << ", cepstral_lifter=" << cepstral_lifter << ", htk_compat=" << htk_compat
     << ", log_offset=" << log_offset << "}";
  return os.str();
}

void FbankOptions::Validate() const {
  frame.Validate();
  mel.Validate(frame.sample_frequency_hz);
  ValidateEnergyFloor(energy_floor);
  ValidateLogOffset(log_offset);
}

std::string FbankOptions::ToString() const {
  std::ostringstream os;
  os << "FbankOptions{" << frame.ToString() << ", " << mel.ToString()
     << ", use_energy=" << use_energy << ", energy_floor=" << energy_floor
     << ", raw_energy=" << raw_energy << ", htk_compat=" << htk_compat
     << ", use_log_fbank=" << use_log_fbank << ", use_power=" << use_power
     << ", log_offset=" << log_offset << "}";
  return os.str();
}

void SpectrogramOptions::Validate() const {
  frame.Validate();
  ValidateEnergyFloor(energy_floor);
}

std::string SpectrogramOptions::ToString() const {
  std::ostringstream os;
  os << "SpectrogramOptions{" << frame.ToString() << ", energy_floor=" << energy_floor
     << ", raw_energy=" << raw_energy << "}";
  return os.str();
}

void PlpOptions::Validate() const {
  frame.Validate();
  mel.Validate(frame.sample_frequency_hz);
  if (lpc_order < 1) throw MakeError("--lpc-order (", lpc_order, ") must be >= 1");
  if (num_ceps < 1) throw MakeError("--num-ceps (", num_ceps, ") must be >= 1");
  if (num_ceps > lpc_order + 1)
    throw MakeError("--num-ceps (", num_ceps, ") must be <= --lpc-order + 1 (", lpc_order + 1,
                    ") for PLP");
  if (!(compress_factor > 0) || !std::isfinite(compress_factor))
    throw MakeError("--compress-factor (", compress_factor, ") must be > 0");
  if (!(cepstral_lifter >= 0) || !std::isfinite(cepstral_lifter) ||
      cepstral_lifter != std::floor(cepstral_lifter) || cepstral_lifter > 1e6f)
    throw MakeError("--cepstral-lifter (", cepstral_lifter,
                    ") must be a whole number >= 0 for PLP (Kaldi reads an integer)");
  if (!std::isfinite(cepstral_scale))
    throw MakeError("--cepstral-scale (", cepstral_scale, ") must be finite");
  ValidateEnergyFloor(energy_floor);
}

std::string PlpOptions::ToString() const {
  std::ostringstream os;
  os << "PlpOptions{" << frame.ToString() << ", " << mel.ToString() << ", lpc_order=" << lpc_order
     << ", num_ceps=" << num_ceps << ", use_energy=" << use_energy
     << ", energy_floor=" << energy_floor << ", raw_energy=" << raw_energy
     << ", compress_factor=" << compress_factor << ", cepstral_lifter=" << cepstral_lifter
     << ", cepstral_scale=" << cepstral_scale << ", htk_compat=" << htk_compat << "}";
  return os.str();
}

const FrameOptions& FeatureOptions::Frame() const {
  switch (TypeBit(type)) {
    case kMfccBit: return mfcc.frame;
    case kFbankBit: return fbank.frame;
    case kPlpBit: return plp.frame;
    default: return spectrogram.frame;
  }
}

int FeatureOptions::Dim() const {
  switch (TypeBit(type)) {
    case kMfccBit: return mfcc.Dim();
    case kFbankBit: return fbank.Dim();
    case kPlpBit: return plp.Dim();
    default: return spectrogram.Dim();
  }
}

void FeatureOptions::Validate() const {
  switch (TypeBit(type)) {
    case kMfccBit: return mfcc.Validate();
    case kFbankBit: return fbank.Validate();
    case kPlpBit: return plp.Validate();
    default: return spectrogram.Validate();
  }
}

std::string FeatureOptions::ToString() const {
  std::string out;
  for (const auto& [name, value] : ToMap(*this)) {
    if (!out.empty()) out += ' ';
    out += "--" + name + "=" + value;
  }
  return out;
}

}  // namespace auris::dsp
