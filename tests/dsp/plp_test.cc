// PLP (Kaldi's compute-plp-feats). No installable PLP reference exists here:
// Debian's torchaudio has no PLP and Kaldi is not packaged. So PLP is checked
// (1) step by step against values derived by hand from Kaldi's definitions,
// (2) as a whole against tests/reference/make_plp.py, an independent float64
// numpy implementation of the published equations, and (3) by the properties
// Kaldi's own tests rely on (energy in C0, htk-compat order, scaling);
// online == batch for random chunkings is in online_test.cc.
#include <cmath>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "auris/core/rng.h"
#include "auris/dsp/feature_extractor.h"
#include "auris/dsp/lpc.h"
#include "auris/dsp/option_table.h"
#include "auris/io/npy.h"
#include "test_support.h"
#include "tolerances.h"

namespace auris::dsp {
namespace {

FeatureOptions Plp(std::map<std::string, std::string> values = {}) {
  values["type"] = "plp";
  return FromMap(values);
}

// 0.4 s of a voiced-like chirp with noise at 16 kHz (int16 scale).
std::vector<float> Voiced(double gain = 1.0) {
  Rng rng(29);
  std::vector<float> x(6400);
  for (std::size_t i = 0; i < x.size(); ++i) {
    const double t = i / 16000.0;
    x[i] = static_cast<float>(
        gain * (2500 * std::sin(2 * M_PI * (150 + 100 * t) * t) * (1.2 + std::sin(2 * M_PI * 4 * t)) +
                300 * std::sin(2 * M_PI * 2100 * t) + 40 * rng.Gaussian()));
  }
  return x;
}

Matrix Compute(const FeatureOptions& o, const std::vector<float>& x) {
  return ComputeFeatures(o, x.data(), static_cast<std::int64_t>(x.size()));
}

TEST_CASE("equal-loudness weights at hand-computed frequencies") {
  // (f^2/(f^2+1.6e5))^2 (f^2+1.44e6)/(f^2+9.61e6), worked out by hand at 1 kHz:
  // (1/1.16)^2 * 2.44/10.61 = 0.7431629 * 0.2299717 = 0.1709065.
  CHECK(EqualLoudness(1000.0f) == doctest::Approx(0.17090645421).epsilon(1e-7));
  CHECK(EqualLoudness(4000.0f) == doctest::Approx(0.66756591572).epsilon(1e-7));
  CHECK(EqualLoudness(100.0f) == doctest::Approx(5.215489644555e-4).epsilon(1e-7));
  CHECK(EqualLoudness(0.0f) == 0.0f);
}

TEST_CASE("IDFT bases: a flat spectrum is white (autocorrelation 1, 0, 0, ...)") {
  // The bases are a cosine transform over a half period of D points whose
  // trapezoid weights sum to 1 at lags that are multiples of 2(D-1) (lag 0)
  // and cancel at every other lag.
  for (const int d : {5, 25, 32}) {
    const std::vector<double> bases = IdftBases(13, d);
    for (int i = 0; i < 13; ++i) {
      double sum = 0;
      for (int j = 0; j < d; ++j) sum += bases[i * d + j];
      const double expected = i % (2 * (d - 1)) == 0 ? 1.0 : 0.0;
      CHECK(sum == doctest::Approx(expected).epsilon(1e-12).scale(1.0));
    }
    CHECK(bases[0] == doctest::Approx(1.0 / (2 * (d - 1))));
    CHECK(bases[1 * d + 1] == doctest::Approx(std::cos(M_PI / (d - 1)) / (d - 1)));
    CHECK(bases[1 * d + d - 1] == doctest::Approx(-1.0 / (2 * (d - 1))));
  }
}

TEST_CASE("Durbin and LPC->cepstrum on an AR(1) process (closed form)") {
  // r_k = a^k is the autocorrelation of x_t = a x_{t-1} + e_t: Durbin gives
  // A(z) = 1 - a z^-1 (Kaldi stores -a), residual 1 - a^2, and the cepstrum
  // of 1/A(z) is log(1/(1 - a z^-1)) = sum_n a^n/n z^-n.
  const double a = 0.6;
  const int order = 6;
  std::vector<double> r(order + 1), lpc(order), ceps(order);
  for (int k = 0; k <= order; ++k) r[k] = std::pow(a, k);
  CHECK(Durbin(r.data(), order, lpc.data()) == doctest::Approx(1 - a * a).epsilon(1e-12));
  CHECK(lpc[0] == doctest::Approx(-a).epsilon(1e-12));
  for (int k = 1; k < order; ++k) CHECK(lpc[k] == doctest::Approx(0.0).scale(1.0).epsilon(1e-12));
  LpcToCepstrum(lpc.data(), order, ceps.data());
  for (int n = 1; n <= order; ++n)
    CHECK(ceps[n - 1] == doctest::Approx(std::pow(a, n) / n).epsilon(1e-12));
}

TEST_CASE("Durbin on AR(2) by hand, Kaldi's 1e-5 guard and a silent frame") {
  // r = [2, 1, 0] by hand:
  // k1 = 1/2, E1 = 2 (1 - 1/4) = 1.5, a = [-0.5];
  // k2 = (0 + (-0.5)(1)) / 1.5 = -1/3, E2 = 1.5 (1 - 1/9) = 4/3,
  // a = [-0.5 - (-1/3)(-0.5), 1/3] = [-2/3, 1/3].
  std::vector<double> r = {2, 1, 0}, lpc(2), ceps(2);
  CHECK(Durbin(r.data(), 2, lpc.data()) == doctest::Approx(4.0 / 3).epsilon(1e-14));
  CHECK(lpc[0] == doctest::Approx(-2.0 / 3).epsilon(1e-14));
  CHECK(lpc[1] == doctest::Approx(1.0 / 3).epsilon(1e-14));
  // c1 = -a1 = 2/3; c2 = -a2 - (1/2)(1 a1 c1) = -1/3 + (1/2)(2/3)(2/3) = -1/9.
  LpcToCepstrum(lpc.data(), 2, ceps.data());
  CHECK(ceps[0] == doctest::Approx(2.0 / 3).epsilon(1e-14));
  CHECK(ceps[1] == doctest::Approx(-1.0 / 9).epsilon(1e-14));
  // A constant signal (r_k = r_0): k1 = 1 makes 1 - k^2 = 0, which Kaldi
  // floors at 1e-5 (E1 = 3e-5); then k2 = (3 - 3) / E1 = 0 keeps it.
  std::vector<double> flat = {3, 3, 3}, out(2);
  CHECK(Durbin(flat.data(), 2, out.data()) == doctest::Approx(3e-5).epsilon(1e-9));
  CHECK(out == std::vector<double>{-1, 0});
  // Silence: Kaldi's 0/0 gives NaN; auris returns a flat model, residual 0.
  std::vector<double> zero = {0, 0, 0};
  out = {7, 7};
  CHECK(Durbin(zero.data(), 2, out.data()) == 0.0);
  CHECK(out == std::vector<double>{0, 0});
}

TEST_CASE("PLP matches an independent float64 numpy implementation of Kaldi's definition") {
  AURIS_REQUIRE_REF(manifest_path, "plp/manifest.json");
  const std::string dir = test::RefDir() + "/plp/";
  const auto manifest = nlohmann::json::parse(test::ReadFile(manifest_path));
  REQUIRE(manifest.size() >= 15);
  double worst = 0;
  for (const auto& c : manifest) {
    std::map<std::string, std::string> values;
    for (const auto& [k, v] : c["options"].items()) values[k] = v.get<std::string>();
    const FeatureOptions opts = Plp(values);
    INFO("case " << std::string(c["name"]) << " " << c["options"].dump());
    const io::NpyArray signal = io::ReadNpy(dir + "signals/" + std::string(c["signal"]) + ".npy");
    const std::vector<float> x(signal.values.begin(), signal.values.end());
    const Matrix ours = Compute(opts, x);
    const MatrixD ref = io::ReadNpy(dir + std::string(c["name"]) + ".npy").ToMatrixD();
    REQUIRE(ours.rows() == ref.rows());
    REQUIRE(ours.cols() == ref.cols());
    double error = 0;
    for (Eigen::Index i = 0; i < ref.rows(); ++i)
      for (Eigen::Index j = 0; j < ref.cols(); ++j)
        error = std::max(error, std::abs(ours(i, j) - ref(i, j)) / std::max(1.0, std::abs(ref(i, j))));
    CHECK(error <= test::tol::kPlpScaled);
    worst = std::max(worst, error);
  }
  MESSAGE(manifest.size() << " PLP cases; worst scaled error " << worst);
}

TEST_CASE("PLP: energy in C0 with use-energy, the log LPC residual without") {
  const std::vector<float> x = Voiced();
  const Matrix with = Compute(Plp(), x);
  const Matrix without = Compute(Plp({{"use-energy", "false"}}), x);
  REQUIRE(with.cols() == 13);
  // C0 is the frame's raw log energy, the same value MFCC puts there.
  FeatureOptions mfcc;
  const Matrix m = Compute(mfcc, x);
  REQUIRE(m.rows() == with.rows());
  CHECK(with.col(0) == m.col(0));
  // The other coefficients do not depend on use-energy.
  CHECK(with.rightCols(12) == without.rightCols(12));
  CHECK((with.col(0) - without.col(0)).cwiseAbs().minCoeff() > 1.0f);
  // raw-energy=false: the energy of the windowed, pre-emphasised frame (smaller).
  const Matrix windowed = Compute(Plp({{"raw-energy", "false"}}), x);
  CHECK((windowed.col(0).array() < with.col(0).array()).all());
  CHECK(windowed.rightCols(12) == with.rightCols(12));
  // energy-floor: a floor above every frame's energy replaces all of them.
  const Matrix floored = Compute(Plp({{"energy-floor", "1e30"}}), x);
  CHECK((floored.col(0).array() == std::log(1e30f)).all());
}

TEST_CASE("PLP: scaling the signal shifts only the log residual (C0 without energy)") {
  // Power scales by s^2, the compressed spectrum and autocorrelations by
  // s^(2 cf), so the LPC model is unchanged and log residual moves by
  // 2 cf log s (cf = compress-factor); the lifter leaves C0 alone.
  const FeatureOptions o = Plp({{"use-energy", "false"}});
  const Matrix a = Compute(o, Voiced(1.0));
  const Matrix b = Compute(o, Voiced(0.25));
  const double shift = 2 * 0.33333f * std::log(0.25);
  CHECK(((b.col(0) - a.col(0)).array() - shift).abs().maxCoeff() < 1e-3);
  CHECK((b.rightCols(12) - a.rightCols(12)).cwiseAbs().maxCoeff() < 1e-3);
}

TEST_CASE("PLP: htk-compat puts energy / C0 last without rescaling it") {
  const std::vector<float> x = Voiced();
  for (const char* energy : {"true", "false"}) {
    INFO("use-energy " << energy);
    const Matrix kaldi = Compute(Plp({{"use-energy", energy}}), x);
    const Matrix htk = Compute(Plp({{"use-energy", energy}, {"htk-compat", "true"}}), x);
    CHECK(htk.leftCols(12) == kaldi.rightCols(12));
    CHECK(htk.col(12) == kaldi.col(0));  // no sqrt(2) on C0, unlike MFCC
  }
}

TEST_CASE("PLP: lifter, cepstral-scale and num-ceps act as Kaldi's definitions say") {
  const std::vector<float> x = Voiced();
  const Matrix plain = Compute(Plp({{"cepstral-lifter", "0"}, {"use-energy", "false"}}), x);
  const Matrix liftered = Compute(Plp({{"use-energy", "false"}}), x);
  const Matrix scaled =
      Compute(Plp({{"cepstral-lifter", "0"}, {"use-energy", "false"}, {"cepstral-scale", "3"}}), x);
  for (int i = 0; i < 13; ++i) {
    const double lifter = 1 + 11 * std::sin(M_PI * i / 22);
    CHECK((liftered.col(i) - plain.col(i) * lifter).cwiseAbs().maxCoeff() <=
          1e-5 * (1 + plain.col(i).cwiseAbs().maxCoeff() * lifter));
    CHECK((scaled.col(i) - 3 * plain.col(i)).cwiseAbs().maxCoeff() <=
          1e-5 * (1 + plain.col(i).cwiseAbs().maxCoeff() * 3));
  }
  // Fewer cepstra are a prefix of the same LPC cepstrum.
  const Matrix five = Compute(Plp({{"num-ceps", "5"}}), x);
  CHECK(five == Compute(Plp(), x).leftCols(5));
  // A higher LPC order changes the model.
  const Matrix high = Compute(Plp({{"lpc-order", "20"}}), x);
  CHECK((high.leftCols(13) - Compute(Plp(), x)).cwiseAbs().maxCoeff() > 0.01f);
}

TEST_CASE("PLP: digital silence gives finite features (Kaldi: NaN)") {
  // Without dither an all-zero frame has zero autocorrelation; Kaldi divides
  // 0 by 0. auris gives the flat model: cepstra 0, C0 floored.
  const std::vector<float> zeros(4000, 0.0f);
  const Matrix f = Compute(Plp({{"use-energy", "false"}}), zeros);
  REQUIRE(f.rows() > 0);
  CHECK(f.allFinite());
  CHECK(f.rightCols(12).cwiseAbs().maxCoeff() == 0.0f);
  CHECK(Compute(Plp(), zeros).allFinite());
}

TEST_CASE("PLP: a VTLN warp moves the filters and the equal-loudness weights") {
  const std::vector<float> x = Voiced();
  const Matrix plain = Compute(Plp(), x);
  const Matrix warped = Compute(Plp({{"vtln-warp", "0.9"}}), x);
  CHECK((warped - plain).cwiseAbs().maxCoeff() > 0.05f);
  CHECK(warped.col(0) == plain.col(0));  // energy is not warped
}

}  // namespace
}  // namespace auris::dsp
