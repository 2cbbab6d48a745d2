// libFuzzer target for global CMVN statistics as `--cmvn FILE` reads them:
// the first byte picks .npy (even) or a Kaldi matrix (odd) and the
// normalisation (bits 1-2), the rest is the file. Any input is used or
// refused with auris::Error; a transform that accepts the statistics never
// turns finite features into NaN.
#include <cmath>
#include <sstream>

#include "auris/core/error.h"
#include "auris/dsp/cmvn.h"
#include "auris/io/kaldi_matrix.h"
#include "auris/io/npy.h"
#include "fuzz_support.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace auris;
  if (size == 0) return 0;
  const std::string bytes(reinterpret_cast<const char*>(data + 1), size - 1);
  dsp::CmvnOptions opts;
  opts.norm_means = (data[0] & 2) != 0;
  opts.norm_vars = (data[0] & 4) != 0;
  try {
    MatrixD stats;
    if (data[0] & 1) {
      std::istringstream in(bytes);
      stats = io::ReadKaldiMatrixObject(in, "fuzz-cmvn");
    } else {
      stats = io::ParseNpy(bytes, "fuzz-cmvn.npy").ToMatrixD();
    }
    const dsp::CmvnTransform cmvn(stats, opts);
    Matrix feats = Matrix::Ones(2, cmvn.Dim());
    cmvn.Apply(&feats);
    fuzz::Require(!feats.hasNaN());
  } catch (const Error&) {
  }
  return 0;
}
