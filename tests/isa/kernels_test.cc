// Every per-ISA kernel set this CPU runs against the baseline set and a
// double-precision reference.
//
// What "the same" means: a set is deterministic, bit for bit, and a vector's
// result does not depend on the other vectors of the call; across sets the
// partial sums come in another order and AVX2 / AVX-512 fuse multiply-adds,
// so each output is within kCrossIsaRel x sum |w x| of the baseline's (and
// each set within the textbook float bound of the float64 reference).
#include <doctest/doctest.h>

#include <algorithm>
#include <cfloat>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <vector>

#include "auris/core/isa.h"
#include "auris/core/rng.h"
#include "nn/isa/kernels.h"
#include "test_support.h"

namespace auris::nn::isa {
namespace {

constexpr double kCrossIsaRel = 1e-6;

struct Problem {
  long rows, cols;
  std::vector<float> w;               // W, rows x cols row-major
  std::vector<float> wt;              // Wᵀ, cols x rows row-major
  std::vector<std::vector<float>> x;  // vectors of cols
};

Problem MakeProblem(long rows, long cols, int n, std::uint64_t seed) {
  Rng rng(seed);
  Problem p{rows, cols, std::vector<float>(rows * cols), std::vector<float>(rows * cols), {}};
  for (long r = 0; r < rows; ++r)
    for (long c = 0; c < cols; ++c) {
      const auto v = static_cast<float>(rng.Gaussian());
      p.w[r * cols + c] = v;
      p.wt[c * rows + r] = v;
    }
  for (int i = 0; i < n; ++i) {
    std::vector<float> xi(cols);
    for (float& v : xi) v = static_cast<float>(rng.Gaussian());
    p.x.push_back(xi);
  }
  return p;
}

// y_i = W x_i (each started at 0.5, as AddMatVecMany adds to y).
std::vector<std::vector<float>> RunMany(const Kernels& k, const Problem& p, long first, long n) {
  std::vector<std::vector<float>> y(n, std::vector<float>(p.rows, 0.5f));
  std::vector<const float*> xp;
  std::vector<float*> yp;
  for (long i = 0; i < n; ++i) {
    xp.push_back(p.x[first + i].data());
    yp.push_back(y[i].data());
  }
  k.add_mat_vec_many(p.wt.data(), p.rows, p.cols, xp.data(), yp.data(), n);
  return y;
}

std::vector<float> RunMatVec(const Kernels& k, const Problem& p, int i) {
  std::vector<float> y(p.rows, NAN);
  k.mat_vec(p.w.data(), p.rows, p.cols, p.x[i].data(), y.data());
  return y;
}

// |got - reference| / sum |w x| over the worst output (reference in double).
double WorstRelError(const Problem& p, int i, const std::vector<float>& got, double offset, double bound) {
  double worst = 0;
  for (long r = 0; r < p.rows; ++r) {
    double exact = offset, scale = std::abs(offset);
    for (long c = 0; c < p.cols; ++c) {
      const double t = static_cast<double>(p.w[r * p.cols + c]) * p.x[i][c];
      exact += t;
      scale += std::abs(t);
    }
    const double rel = std::abs(got[r] - exact) / scale;
    CHECK_MESSAGE(rel <= bound, "row " << r << " of " << p.rows << "x" << p.cols << ": " << got[r] << " vs "
                                       << exact);
    worst = std::max(worst, rel);
  }
  return worst;
}

// The int8 kernels (weights and a scale per row): the set against the
// baseline set within kCrossIsaRel of sum |scale q x|, alone or with others.
void CheckInt8(const Kernels& k, const Kernels& base, Isa isa) {
  Rng rng(17);
  for (const auto& [rows, cols] : {std::pair{1L, 1L}, std::pair{7L, 9L}, std::pair{33L, 17L}, std::pair{129L, 257L}}) {
    std::vector<std::int8_t> q(rows * cols), qt(rows * cols);
    std::vector<float> scale(rows);
    for (long r = 0; r < rows; ++r) {
      scale[r] = static_cast<float>(rng.Uniform(0.001, 0.1));
      for (long c = 0; c < cols; ++c) {
        const auto v = static_cast<std::int8_t>(static_cast<int>(rng.Index(255)) - 127);
        q[r * cols + c] = v;
        qt[c * rows + r] = v;
      }
    }
    const int n = 7;
    std::vector<std::vector<float>> x(n, std::vector<float>(cols));
    for (auto& xi : x)
      for (float& v : xi) v = static_cast<float>(rng.Gaussian());
    auto many = [&](const Kernels& set, long first, long count) {
      std::vector<std::vector<float>> y(count, std::vector<float>(rows, 0.5f));
      std::vector<const float*> xp;
      std::vector<float*> yp;
      for (long i = 0; i < count; ++i) {
        xp.push_back(x[first + i].data());
        yp.push_back(y[i].data());
      }
      set.add_mat_vec_many_int8(qt.data(), scale.data(), rows, cols, xp.data(), yp.data(), count);
      return y;
    };
    const auto all = many(k, 0, n), base_all = many(base, 0, n);
    for (int i = 0; i < n; ++i) {
      CHECK(many(k, i, 1)[0] == all[i]);
      std::vector<float> mv(rows), base_mv(rows);
      k.mat_vec_int8(q.data(), scale.data(), rows, cols, x[i].data(), mv.data());
      base.mat_vec_int8(q.data(), scale.data(), rows, cols, x[i].data(), base_mv.data());
      for (long r = 0; r < rows; ++r) {
        double sum = 0;
        for (long c = 0; c < cols; ++c) sum += std::abs(scale[r] * q[r * cols + c] * x[i][c]);
        CHECK_MESSAGE(std::abs(all[i][r] - base_all[i][r]) <= kCrossIsaRel * (sum + 0.5),
                      IsaName(isa) << " add_mat_vec_many_int8 " << rows << "x" << cols);
        CHECK_MESSAGE(std::abs(mv[r] - base_mv[r]) <= kCrossIsaRel * sum + 1e-30,
                      IsaName(isa) << " mat_vec_int8 " << rows << "x" << cols);
        CHECK(std::abs(mv[r] - (all[i][r] - 0.5)) <= 2 * kCrossIsaRel * (sum + 0.5));
      }
    }
  }
}

const long kShapes[][2] = {{1, 1}, {3, 5},    {4, 4},    {7, 9},     {8, 8},     {15, 17},  {16, 16},
                           {17, 33}, {33, 7}, {64, 40},  {100, 100}, {129, 257}, {512, 128}, {1024, 256}};

void CheckSet(Isa isa) {
  const Kernels* k = KernelsFor(isa);
  REQUIRE(k != nullptr);
  const Kernels& base = *KernelsFor(Isa::kBaseline);
  double worst_many = 0, worst_mv = 0, worst_ref = 0;
  std::uint64_t seed = 1;
  for (const auto& shape : kShapes) {
    const long rows = shape[0], cols = shape[1];
    const int n = 7;  // > 5: AddMatVecMany's second pass
    const Problem p = MakeProblem(rows, cols, n, seed++);
    // Textbook bound for a float sum of cols + 1 terms: (cols + 1) eps.
    const double bound = static_cast<double>(cols + 1) * FLT_EPSILON;
    const auto all = RunMany(*k, p, 0, n);
    const auto base_all = RunMany(base, p, 0, n);
    for (int i = 0; i < n; ++i) {
      // The same set, alone or with others, again: bit-identical.
      CHECK(RunMany(*k, p, i, 1)[0] == all[i]);
      CHECK(RunMany(*k, p, 0, n)[i] == all[i]);
      const std::vector<float> mv = RunMatVec(*k, p, i);
      CHECK(RunMatVec(*k, p, i) == mv);
      worst_ref = std::max({worst_ref, WorstRelError(p, i, all[i], 0.5, bound), WorstRelError(p, i, mv, 0, bound)});
      // Against the baseline set.
      const std::vector<float> base_mv = RunMatVec(base, p, i);
      for (long r = 0; r < rows; ++r) {
        double scale = 0.5, scale_mv = 0;
        for (long c = 0; c < cols; ++c) scale += std::abs(p.w[r * cols + c] * p.x[i][c]);
        scale_mv = scale - 0.5;
        const double many = std::abs(all[i][r] - base_all[i][r]) / scale;
        const double one = std::abs(mv[r] - base_mv[r]) / scale_mv;
        CHECK_MESSAGE(many <= kCrossIsaRel, std::string(IsaName(isa)) << " add_mat_vec_many " << rows << "x" << cols);
        CHECK_MESSAGE(one <= kCrossIsaRel, std::string(IsaName(isa)) << " mat_vec " << rows << "x" << cols);
        worst_many = std::max(worst_many, many);
        worst_mv = std::max(worst_mv, one);
      }
    }
  }
  MESSAGE(std::string(IsaName(isa)) << ": worst |diff| / sum|w x| vs baseline: add_mat_vec_many " << worst_many << ", mat_vec "
                       << worst_mv << "; vs float64: " << worst_ref);
  CheckInt8(*k, base, isa);
}

TEST_CASE("baseline kernels against a float64 reference") { CheckSet(Isa::kBaseline); }

TEST_CASE("avx2 kernels against the baseline ones") {
  AURIS_SKIP_IF(!CpuSupports(Isa::kAvx2), "this CPU lacks AVX2 + FMA (x86-64-v3)");
  AURIS_SKIP_IF(KernelsFor(Isa::kAvx2) == nullptr, "this build has no avx2 kernels (not x86-64)");
  CheckSet(Isa::kAvx2);
}

TEST_CASE("avx512 kernels against the baseline ones") {
  AURIS_SKIP_IF(!CpuSupports(Isa::kAvx512), "this CPU lacks AVX-512 (x86-64-v4)");
  AURIS_SKIP_IF(KernelsFor(Isa::kAvx512) == nullptr, "this build has no avx512 kernels (not x86-64)");
  CheckSet(Isa::kAvx512);
}

TEST_CASE("the active set is the best one the CPU runs, or the one AURIS_ISA asks for") {
  Isa best = Isa::kBaseline;
  for (Isa isa : kAllIsas)
    if (CpuSupports(isa) && KernelsFor(isa)) best = isa;
  const char* env = std::getenv("AURIS_ISA");
  const Isa expected = env ? ActiveIsa() : best;  // the env case: isa_probe tests below
  CHECK(ActiveIsa() == expected);
  CHECK(&Active() == KernelsFor(ActiveIsa()));
  CHECK(IsaDescription().find(std::string("vector kernels: ") + IsaName(ActiveIsa())) == 0);
}

}  // namespace
}  // namespace auris::nn::isa
