// Compiled once per instruction set with -DAURIS_ISA_NS=<name> and that
// set's -march (CMakeLists.txt, auris_isa_kernels): see kernels.h for what
// may be included here. The loops are the ones the classes had before they
// were split out (feature_window.cc, real_fft.cc, mel_banks.cc); FloatVec is
// this set's vector width.
#include "kernels.h"

#include <cstdint>
#include <utility>

#include "auris/dsp/mel_banks.h"
#include "auris/dsp/vector_math.h"
#include "dsp/power_pair.h"

#ifndef AURIS_ISA_NS
#error "compile with -DAURIS_ISA_NS=baseline|avx2|avx512"
#endif

namespace auris::dsp::isa::AURIS_ISA_NS {
namespace {

constexpr int kL = kFloatLanes;

// Sum in double: four vectors of partial sums (the adds' latency overlaps),
// then whole vectors; n = 400 (25 ms at 16 kHz) leaves no scalar remainder.
// Plain loops: GCC turns them into one converting load and one add per vector.
[[gnu::always_inline]] inline double Sum(const float* x, int n) noexcept {
  constexpr int kStep = kL / 2;  // doubles per vector
  double acc[4 * kStep] = {};
  int i = 0;
  for (; i + 4 * kStep <= n; i += 4 * kStep)
    for (int j = 0; j < 4 * kStep; ++j) acc[j] += x[i + j];
  for (; i + kStep <= n; i += kStep)
    for (int j = 0; j < kStep; ++j) acc[j] += x[i + j];
  double sum = LaneSum<4 * kStep>(acc);
  for (; i < n; ++i) sum += x[i];
  return sum;
}

double WindowFrame(const float* frame, int n, bool remove_dc, float c, const float* w, float* out) noexcept {
  // Kaldi's order (DC removal, raw energy, pre-emphasis, window) fused into
  // one pass after the mean. Pre-emphasis is Kaldi's in-place backward loop
  // x[i] -= c x[i-1], x[0] -= c x[0], on the centred input, rewritten as
  // (x[i] - c x[i-1]) - (1 - c) mean: computed in float that way, every
  // rounding is relative to the pre-emphasised value (x - c p is one fused
  // multiply-subtract where the target has FMA), not to the raw sample,
  // which is large where speech has its low-frequency energy. Rounding the
  // centred sample instead adds white noise at the raw sample's scale, which
  // shows in near-empty bands (band-limited audio) in the log domain; this
  // order stays close to computing in double, at a fraction of the cost.
  // The mean is summed in double, the raw energy's squares in float lanes
  // (relative error ~1e-6).
  const double mean = remove_dc ? Sum(frame, n) / n : 0.0;
  const float mean_f = static_cast<float>(mean);
  const float offset = static_cast<float>((1.0 - c) * mean);
  // Two energy accumulators: consecutive blocks do not wait for each
  // other's multiply-add.
  FloatVec energy[2] = {};
  auto block = [&](int i, const float* prev, FloatVec& acc) {
    const FloatVec x = LoadVec(frame + i);
    const FloatVec centred = x - mean_f;
    acc += centred * centred;
    StoreVec(out + i, (x - c * LoadVec(prev) - offset) * LoadVec(w + i));
  };
  int i = 0;
  if (n >= kL) {
    // The first block's "previous" samples, x[0] standing in for x[-1]: then
    // every block is whole (no scalar remainder for the usual n = 400).
    float first_prev[kL];
    first_prev[0] = frame[0];
    for (int j = 1; j < kL; ++j) first_prev[j] = frame[j - 1];
    block(0, first_prev, energy[0]);
    for (i = kL; i + 2 * kL <= n; i += 2 * kL) {
      block(i, frame + i - 1, energy[1]);
      block(i + kL, frame + i + kL - 1, energy[0]);
    }
    if (i + kL <= n) {
      block(i, frame + i - 1, energy[1]);
      i += kL;
    }
  }
  float energy_tail = 0.0f;
  for (; i < n; ++i) {
    const float centred = frame[i] - mean_f;
    energy_tail += centred * centred;
    out[i] = (frame[i] - c * frame[i > 0 ? i - 1 : 0] - offset) * w[i];
  }
  return VecLaneSum(energy[0] + energy[1]) + energy_tail;
}

// Lanes first, first + step, ... of the concatenation a:b (deinterleaving
// real and imaginary parts, backwards with a negative step).
template <int first, int step, std::size_t... I>
[[gnu::always_inline]] inline FloatVec Lanes(FloatVec a, FloatVec b, std::index_sequence<I...>) noexcept {
  return __builtin_shufflevector(a, b, (first + step * static_cast<int>(I))...);
}
template <int first, int step>
[[gnu::always_inline]] inline FloatVec Lanes(FloatVec a, FloatVec b) noexcept {
  return Lanes<first, step>(a, b, std::make_index_sequence<kL>());
}

using IntVec = std::int32_t __attribute__((vector_size(4 * kL)));

bool PowerSpectrum(const float* z, int half, const float* wr, const float* wi, float* power) noexcept {
  // The real input read as M = n/2 complex values z[m] = x[2m] + i x[2m+1];
  // with Z = DFT(z): E_k = (Z_k + conj Z_{M-k}) / 2 is the DFT of the even
  // samples, O_k = (Z_k - conj Z_{M-k}) / 2i that of the odd ones, and
  // X_k = E_k + W^k O_k, W = exp(-2 pi i / n). Bins k and M - k share E_k
  // and W^k O_k: X_{M-k} = conj(E_k - W^k O_k), so each pair is computed
  // once (k = 0 pairs with the Nyquist bin M, Z_M being Z_0).
  // kL pairs at a time: Z_k.. and Z_{M-k}.. (read backwards) split into real
  // and imaginary lanes by two shuffles each; the M - k powers are stored
  // backwards.
  const IntVec all = IntVec{} - 1;
  IntVec all_but_first = all;  // not the DC / Nyquist pair (lane 0 of the first block)
  all_but_first[0] = 0;
  IntVec cancelled = {};
  int k = 0;
  for (; k + kL <= half / 2; k += kL) {
    const FloatVec f0 = LoadVec(z + 2 * k), f1 = LoadVec(z + 2 * k + kL);
    const float* r = z + 2 * (half - k - (kL - 1));  // Z_{M-k-kL+1} .. Z_{M-k}
    const FloatVec r0 = LoadVec(r), r1 = LoadVec(r + kL);
    FloatVec low, high;
    PowerPair(Lanes<0, 2>(f0, f1), Lanes<1, 2>(f0, f1), Lanes<2 * kL - 2, -2>(r0, r1),
              Lanes<2 * kL - 1, -2>(r0, r1), LoadVec(wr + k), LoadVec(wi + k), low, high);
    const FloatVec limit = kCancellationRatio * (low + high);  // = |Z_k|^2 + |Z_{M-k}|^2
    // Removing the DC offset makes X_0 near-empty in every frame (it carries
    // nothing then; mel filters weight both 0): not a reason to redo.
    cancelled |= ((low < limit) | (high < limit)) & (k == 0 ? all_but_first : all);
    StoreVec(power + k, low);
    StoreVec(power + half - k - (kL - 1), Lanes<kL - 1, -1>(high, high));
  }
  bool redo = false;
  for (int lane = 0; lane < kL; ++lane) redo |= cancelled[lane] != 0;
  for (; k <= half / 2; ++k) {
    PowerPair(z[2 * k], z[2 * k + 1], z[2 * (half - k)], z[2 * (half - k) + 1], wr[k], wi[k], power[k],
              power[half - k]);
    const float limit = kCancellationRatio * (power[k] + power[half - k]);
    redo |= k > 0 && (power[k] < limit || power[half - k] < limit);
  }
  return redo;
}

// One vector accumulator per filter; filters are short (a few vectors).
constexpr int kMelWidth = kL < MelBanks::kLanes ? kL : MelBanks::kLanes;
using MelVec = float __attribute__((vector_size(4 * kMelWidth)));
static_assert(MelBanks::kLanes % kMelWidth == 0);
constexpr int kMelSteps = MelBanks::kLanes / kMelWidth;

// Pairs segments of width 2 h in x:y and halves them: each output segment
// (width h) is the sum of the two halves of one input segment. Repeated
// log2(width) times on width accumulators, it leaves accumulator f's lane sum
// in lane f (a transposed reduction: no per-filter horizontal sum).
template <int h, std::size_t... R>
[[gnu::always_inline]] inline MelVec FoldPair(MelVec x, MelVec y, std::index_sequence<R...>) noexcept {
  return __builtin_shufflevector(x, y, (R / h * 2 * h + R % h)...) +
         __builtin_shufflevector(x, y, (R / h * 2 * h + R % h + h)...);
}
template <int count>
[[gnu::always_inline]] inline void Fold(MelVec* acc) noexcept {
  if constexpr (count > 1) {
    // count accumulators hold segments of width count.
    for (int j = 0; j < count / 2; ++j)
      acc[j] = FoldPair<count / 2>(acc[2 * j], acc[2 * j + 1], std::make_index_sequence<kMelWidth>());
    Fold<count / 2>(acc);
  }
}

void MelBanksCompute(const float* weights, const int* offset, const int* first_bin, const int* vectors,
                     int num_bins, const float* spectrum, float* mel) noexcept {
  auto filter = [&](int i) {
    const float* w = weights + offset[i];
    const float* s = spectrum + first_bin[i];
    MelVec acc = {};
    for (int v = 0; v < vectors[i] * kMelSteps; ++v)
      acc += LoadVec<MelVec>(w + v * kMelWidth) * LoadVec<MelVec>(s + v * kMelWidth);
    return acc;
  };
  int i = 0;
  for (; i + kMelWidth <= num_bins; i += kMelWidth) {
    MelVec acc[kMelWidth];
#pragma GCC unroll 16
    for (int f = 0; f < kMelWidth; ++f) acc[f] = filter(i + f);
    Fold<kMelWidth>(acc);
    __builtin_memcpy(mel + i, &acc[0], sizeof acc[0]);
  }
  for (; i < num_bins; ++i) mel[i] = VecLaneSum(filter(i));
}

void LogFloored(float* x, int n, float offset, float floor) noexcept {
  for (int i0 = 0; i0 < n; i0 += kLogBlock) {
    float* block = x + i0;
    for (int j = 0; j < kLogBlock; ++j) {
      const float v = block[j] + offset;
      block[j] = VectorLog(v < floor ? floor : v);
    }
  }
}

void Dct(const float* dct, int stride, const float* mel, int num_bins, int num_ceps, float* out) noexcept {
  static_assert(kMaxLanes % kL == 0);
  // One vector of cepstra at a time over all bins, in two accumulators (even
  // and odd bins) so consecutive multiply-adds do not wait for each other.
  for (int k0 = 0; k0 < stride && k0 < num_ceps; k0 += kL) {
    const float* column = dct + k0;  // bin j's at column + j * stride
    FloatVec even = {}, odd = {};
    int j = 0;
    for (; j + 2 <= num_bins; j += 2) {
      even += LoadVec(column + static_cast<long>(j) * stride) * mel[j];
      odd += LoadVec(column + static_cast<long>(j + 1) * stride) * mel[j + 1];
    }
    if (j < num_bins) even += LoadVec(column + static_cast<long>(j) * stride) * mel[j];
    float block[kL];
    const FloatVec sum = even + odd;
    __builtin_memcpy(block, &sum, sizeof block);
    for (int k = 0; k < kL && k0 + k < num_ceps; ++k) out[k0 + k] = block[k];
  }
}

}  // namespace

extern const Kernels kKernels = {&WindowFrame, &PowerSpectrum, &MelBanksCompute, &LogFloored, &Dct};

}  // namespace auris::dsp::isa::AURIS_ISA_NS
