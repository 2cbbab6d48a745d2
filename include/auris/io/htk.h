// HTK feature files (HTK Book 5.10.1): a 12-byte big-endian header
//   nSamples int32, sampPeriod int32 (units of 100 ns), sampSize int16
//   (bytes per frame = 4 * dim), parmKind int16 (base kind | qualifiers)
// followed by the frames as big-endian float32.
#pragma once

#include <cstdint>
#include <string>

#include "auris/core/eigen.h"

namespace auris::io {

// HTK base parameter kinds and qualifier bits (octal in the HTK Book).
enum HtkKind : int {
  kHtkMfcc = 6,
  kHtkFbank = 7,
  kHtkUser = 9,
  kHtkPlp = 11,
  kHtkQualE = 0100,     // _E: log energy appended (last coefficient)
  kHtkQualD = 0400,     // _D: deltas
  kHtkQualA = 01000,    // _A: accelerations
  kHtkQualZ = 04000,    // _Z: zero mean
  kHtkQual0 = 020000,   // _0: C0 appended
  kHtkQualT = 0100000,  // _T: third differentials
};

// parmKind for a base kind with qualifiers. HTK expects _E / _0 as the LAST
// static coefficient, which is Kaldi's layout only with --htk-compat=true;
// pass energy/c0 accordingly. delta_order 1 adds _D, 2 _D_A, 3 _D_A_T.
int HtkParmKind(int base_kind, bool energy = false, bool c0 = false, int delta_order = 0);

struct HtkOptions {
  double frame_shift_ms = 10;  // written as sampPeriod in 100 ns units
  int parm_kind = kHtkUser;    // e.g. HtkParmKind(kHtkMfcc, ...)

  void Validate() const;
  std::string ToString() const;
};

struct HtkHeader {
  std::int32_t num_frames = 0;
  std::int32_t sample_period_100ns = 0;
  std::int16_t sample_size_bytes = 0;
  std::int16_t parm_kind = 0;
};

std::string HtkBytes(const Matrix& features, const HtkOptions& options);

struct HtkFile {
  HtkHeader header;
  Matrix features;
};
HtkFile ParseHtk(const std::string& bytes, const std::string& name_for_errors);
HtkFile ReadHtk(const std::string& path);

}  // namespace auris::io
