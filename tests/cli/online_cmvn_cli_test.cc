// `--cmvn online` end to end: features of a recording and of the same
// recording 12 dB louder become equal once the window holds only the input
// (log-mel energies of a scaled signal shift by a constant, which the
// window's mean removes). Training with it: train_cli_test.cc.
#include <doctest/doctest.h>

#include <cmath>
#include <filesystem>

#include "auris/audio/write.h"
#include "auris/core/rng.h"
#include "auris/io/npy.h"
#include "cli_support.h"

using namespace auris;
using namespace auris::test;

namespace {

// A voiced-like signal, 1 s at 16 kHz, in 16-bit sample units.
std::vector<float> Signal() {
  Rng rng(4);
  std::vector<float> x(16000);
  for (std::size_t i = 0; i < x.size(); ++i) {
    const double t = i / 16000.0;
    x[i] = static_cast<float>(2000 * std::sin(2 * M_PI * 180 * t) * (1.2 + std::sin(2 * M_PI * 3 * t)) +
                              300 * std::sin(2 * M_PI * 1250 * t) + 40 * rng.Gaussian());
  }
  return x;
}

double MaxDiff(const Matrix& a, const Matrix& b, Eigen::Index from) {
  return (a.bottomRows(a.rows() - from) - b.bottomRows(b.rows() - from)).cwiseAbs().maxCoeff();
}

}  // namespace

TEST_CASE("features --cmvn online: a louder copy gives the same features once the window is the input's own") {
  TempDir dir;
  std::filesystem::create_directories(dir / "wavs");
  std::vector<float> x = Signal(), loud = x;
  for (float& v : loud) v *= 4;  // +12 dB
  audio::WriteWav(dir / "wavs/quiet.wav", x, 16000, 1, audio::SampleEncoding::kFloat);
  audio::WriteWav(dir / "wavs/loud.wav", loud, 16000, 1, audio::SampleEncoding::kFloat);
  // A prior of 4-dimensional log-mel features around 10 (Kaldi text matrix).
  WriteFile(dir / "prior.mat", "[ 1000 1000 1000 1000 100\n  10200 10200 10200 10200 0 ]\n");
  const std::string common = "features --type fbank --num-mel-bins 4 --dither 0 --energy-floor 0 wavs ";

  const CliResult raw = RunAuris(common + "npy:raw", dir);
  REQUIRE_MESSAGE(raw.status == 0, raw.err);
  const CliResult online = RunAuris(common + "npy:online --cmvn online --global-cmvn-stats prior.mat --cmn-window 30", dir);
  REQUIRE_MESSAGE(online.status == 0, online.err);

  const Matrix raw_q = io::ReadNpy(dir / "raw/quiet.npy").ToMatrix(), raw_l = io::ReadNpy(dir / "raw/loud.npy").ToMatrix();
  const Matrix on_q = io::ReadNpy(dir / "online/quiet.npy").ToMatrix(),
               on_l = io::ReadNpy(dir / "online/loud.npy").ToMatrix();
  REQUIRE(on_q.rows() == 98);
  // Without normalisation every log-mel energy moves by 2 ln 4.
  CHECK(MaxDiff(raw_l, raw_q, 0) == doctest::Approx(2 * std::log(4.0)).epsilon(1e-3));
  // Online: the first 29 frames still lean on the prior; from frame 29 the
  // 30-frame window is the input's own and the offset is gone.
  CHECK(MaxDiff(on_l.topRows(29), on_q.topRows(29), 0) > 0.1);
  CHECK(MaxDiff(on_l, on_q, 29) < 1e-3);

  const CliResult missing = RunAuris(common + "npy:o2 --cmvn online", dir);
  CHECK(missing.status != 0);
  CHECK(missing.err.find("--cmvn online needs --global-cmvn-stats FILE") != std::string::npos);
  const CliResult absent = RunAuris(common + "npy:o3 --cmvn online --global-cmvn-stats nope.mat", dir);
  CHECK(absent.status != 0);
  CHECK(absent.err.find("--global-cmvn-stats nope.mat: no such file") != std::string::npos);
  const CliResult stray = RunAuris(common + "npy:o4 --global-cmvn-stats prior.mat", dir);
  CHECK(stray.status != 0);
  CHECK(stray.err.find("--global-cmvn-stats: only with --cmvn online") != std::string::npos);
}
