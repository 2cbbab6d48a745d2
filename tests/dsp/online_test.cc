// Online == batch: the same recordings fed in random chunk sizes (1 sample up
// to the whole file) give bit-identical frames, for every feature type,
// snip_edges on/off and dithering; Pop() keeps the remaining frames right.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <string>
#include <thread>
#include <type_traits>
#include <vector>

#include "auris/core/rng.h"
#include "auris/dsp/feature_extractor.h"
#include "auris/dsp/option_table.h"
#include "test_support.h"

namespace auris::dsp {
namespace {

// 16-bit PCM mono WAV (the FSDD format), samples in int16 scale.
std::vector<float> ReadPcm16Wav(const std::string& path, int* rate) {
  const std::string bytes = test::ReadFile(path);
  auto u32 = [&](std::size_t at) {
    std::uint32_t v;
    std::memcpy(&v, bytes.data() + at, 4);
    return v;
  };
  REQUIRE(bytes.size() >= 44);
  REQUIRE(bytes.compare(0, 4, "RIFF") == 0);
  std::size_t at = 12;
  std::vector<float> samples;
  while (at + 8 <= bytes.size()) {
    const std::string id = bytes.substr(at, 4);
    const std::uint32_t size = u32(at + 4);
    if (id == "fmt ") *rate = static_cast<int>(u32(at + 12));
    if (id == "data") {
      const std::size_t n = std::min<std::size_t>(size, bytes.size() - at - 8) / 2;
      samples.resize(n);
      for (std::size_t i = 0; i < n; ++i) {
        std::int16_t s;
        std::memcpy(&s, bytes.data() + at + 8 + 2 * i, 2);
        samples[i] = s;
      }
      break;
    }
    at += 8 + size + (size & 1);
  }
  return samples;
}

struct Recording {
  std::string name;
  std::vector<float> samples;
  int rate;
};

// A few FSDD recordings, or a generated voiced-like signal without FSDD.
std::vector<Recording> Recordings() {
  std::vector<Recording> out;
  const std::string dir = test::FsddDir();
  for (const char* f : {"0_george_0.wav", "7_jackson_3.wav", "9_theo_12.wav"}) {
    const std::string path = dir.empty() ? "" : dir + "/" + f;
    if (path.empty() || !std::filesystem::exists(path)) continue;
    Recording r{f, {}, 0};
    r.samples = ReadPcm16Wav(path, &r.rate);
    out.push_back(std::move(r));
  }
  if (out.empty()) {
    Rng rng(5);
    Recording r{"generated", std::vector<float>(7001), 8000};
    for (std::size_t i = 0; i < r.samples.size(); ++i)
      r.samples[i] = static_cast<float>(3000 * std::sin(0.07 * i + 1e-5 * i * i) +
                                        200 * rng.Gaussian());
    out.push_back(std::move(r));
  }
  return out;
}

// Chunk sizes from 1 sample to the whole signal, drawn on a log scale.
std::int64_t RandomChunk(Rng& rng, std::int64_t remaining) {
  const double max_log = std::log(static_cast<double>(remaining) + 1);
  const auto n = static_cast<std::int64_t>(std::exp(rng.Uniform() * max_log));
  return std::clamp<std::int64_t>(n, 1, remaining);
}

std::vector<FeatureOptions> OptionSets(int rate) {
  std::vector<FeatureOptions> sets;
  for (const char* type : {"mfcc", "fbank", "spectrogram", "plp"}) {
    for (bool snip : {true, false}) {
      FeatureOptions o;
      o.type = type;
      ForEachOption(o, [&](const OptionRef& ref) {
        if (ref.name == "sample-frequency") ref.set(std::to_string(rate));
        if (ref.name == "snip-edges") ref.set(snip ? "true" : "false");
      });
      sets.push_back(o);
    }
  }
  // Dither: the seeded noise stream is consumed frame by frame either way.
  FeatureOptions dithered = sets[1];
  dithered.mfcc.frame.dither = 1.0f;
  dithered.mfcc.frame.dither_seed = 17;
  sets.push_back(dithered);
  return sets;
}

TEST_CASE("online features equal batch features for random chunkings") {
  Rng rng(2024);
  int compared = 0;
  for (const Recording& rec : Recordings()) {
    for (const FeatureOptions& opts : OptionSets(rec.rate)) {
      INFO(rec.name << " " << opts.ToString());
      const Matrix batch = ComputeFeatures(opts, rec.samples.data(), rec.samples.size());
      REQUIRE(batch.rows() > 10);
      for (int trial = 0; trial < 4; ++trial) {
        OnlineFeatureExtractor online(opts);
        const auto n = static_cast<std::int64_t>(rec.samples.size());
        std::int64_t fed = 0, last_ready = 0;
        while (fed < n) {
          // Trial 0 feeds sample by sample, trial 1 the whole file at once.
          const std::int64_t chunk = trial == 0 ? 1 : trial == 1 ? n : RandomChunk(rng, n - fed);
          online.AcceptWaveform(static_cast<float>(rec.rate), rec.samples.data() + fed, chunk);
          fed += chunk;
          CHECK(online.NumFramesReady() >= last_ready);
          last_ready = online.NumFramesReady();
        }
        online.InputFinished();
        REQUIRE(online.NumFramesReady() == batch.rows());
        CHECK(online.IsLastFrame(batch.rows() - 1));
        const Matrix got = online.GetFrames(0, online.NumFramesReady());
        CHECK(got == batch);  // bit-identical
        ++compared;
      }
    }
  }
  CHECK(compared >= 28);
}

TEST_CASE("online frames before InputFinished are final, snip_edges=false waits for the end") {
  const Recording rec = Recordings().front();
  for (const FeatureOptions& opts : OptionSets(rec.rate)) {
    INFO(opts.ToString());
    const Matrix batch = ComputeFeatures(opts, rec.samples.data(), rec.samples.size());
    OnlineFeatureExtractor online(opts);
    online.AcceptWaveform(static_cast<float>(rec.rate), rec.samples.data(), rec.samples.size());
    const std::int64_t early = online.NumFramesReady();
    const FrameOptions& f = online.GetFrameOptions();
    // Without the end of the signal only frames lying inside it are ready.
    CHECK(early == NumFrames(rec.samples.size(), f, /*flush=*/false));
    if (f.snip_edges) CHECK(early == batch.rows());
    else CHECK(early < batch.rows());
    CHECK(online.GetFrames(0, early) == batch.topRows(early));
  }
}

TEST_CASE("Pop keeps the remaining frames right and bounds memory") {
  const Recording rec = Recordings().front();
  Rng rng(77);
  for (const FeatureOptions& opts : OptionSets(rec.rate)) {
    INFO(opts.ToString());
    const Matrix batch = ComputeFeatures(opts, rec.samples.data(), rec.samples.size());
    OnlineFeatureExtractor online(opts);
    const auto n = static_cast<std::int64_t>(rec.samples.size());
    std::int64_t fed = 0, max_held = 0;
    auto consume = [&]() {
      const std::int64_t ready = online.NumFramesReady();
      for (std::int64_t i = online.NumFramesPopped(); i < ready; ++i) {
        std::vector<float> row(online.Dim());
        online.GetFrame(i, row.data());
        CHECK(Eigen::Map<const RowVector>(row.data(), row.size()) == batch.row(i));
      }
      max_held = std::max(max_held, ready - online.NumFramesPopped());
      // Pop a random part of what is held, sometimes everything.
      const std::int64_t held = ready - online.NumFramesPopped();
      online.Pop(rng.Uniform() < 0.3 ? held : rng.Index(static_cast<std::uint32_t>(held + 1)));
    };
    while (fed < n) {
      const std::int64_t chunk = std::min<std::int64_t>(n - fed, 1 + rng.Index(900));
      online.AcceptWaveform(static_cast<float>(rec.rate), rec.samples.data() + fed, chunk);
      fed += chunk;
      consume();
    }
    online.InputFinished();
    consume();
    CHECK(online.NumFramesReady() == batch.rows());
    CHECK(max_held < batch.rows());
    if (online.NumFramesPopped() > 0) CHECK_THROWS_AS(online.Frame(0), Error);
    CHECK_THROWS_AS(online.Pop(online.NumFramesReady() - online.NumFramesPopped() + 1), Error);
    CHECK_THROWS_AS(online.Frame(online.NumFramesReady()), Error);
  }
}

TEST_CASE("an hour-long stream that pops what it reads holds few frames") {
  FeatureOptions opts;  // Kaldi-default MFCC, 16 kHz
  OnlineFeatureExtractor online(opts);
  Rng rng(3);
  std::vector<float> chunk(16000);
  for (float& v : chunk) v = static_cast<float>(1000 * rng.Gaussian());
  std::int64_t max_held = 0;
  for (int second = 0; second < 120; ++second) {  // 2 minutes keep the test fast
    online.AcceptWaveform(16000.0f, chunk.data(), chunk.size());
    max_held = std::max(max_held, online.NumFramesReady() - online.NumFramesPopped());
    online.Pop(online.NumFramesReady() - online.NumFramesPopped());
  }
  CHECK(online.NumFramesReady() == NumFrames(120 * 16000, online.GetFrameOptions(), false));
  CHECK(max_held <= 101);
}

TEST_CASE("AcceptWaveform rejects a wrong rate and input after InputFinished") {
  FeatureOptions opts;
  OnlineFeatureExtractor online(opts);
  std::vector<float> x(1000, 1.0f);
  try {
    online.AcceptWaveform(8000.0f, x.data(), x.size());
    FAIL("expected an error");
  } catch (const Error& e) {
    CHECK(std::string(e.what()).find("--sample-frequency") != std::string::npos);
  }
  online.InputFinished();
  CHECK_THROWS_AS(online.AcceptWaveform(16000.0f, x.data(), x.size()), Error);
}

TEST_CASE("dither is seeded: reproducible, seed-dependent, and changes the output") {
  Rng rng(9);
  std::vector<float> x(8000);
  for (float& v : x) v = static_cast<float>(500 * rng.Gaussian());
  FeatureOptions a;
  a.mfcc.frame.dither = 1.0f;
  a.mfcc.frame.dither_seed = 1;
  FeatureOptions b = a;
  b.mfcc.frame.dither_seed = 2;
  FeatureOptions none;
  const Matrix fa = ComputeFeatures(a, x.data(), x.size());
  CHECK(fa == ComputeFeatures(a, x.data(), x.size()));
  CHECK(fa != ComputeFeatures(b, x.data(), x.size()));
  const Matrix fn = ComputeFeatures(none, x.data(), x.size());
  CHECK(fa != fn);
  // Dither of stddev 1 (int16 scale) on a signal of stddev 500 is noise 54 dB
  // down: MFCCs move by far less than a 3 dB change (0.69 in log energy)
  // would move them; a dither in the wrong scale would not.
  float max_change = 0;
  for (Eigen::Index i = 0; i < fa.size(); ++i)
    max_change = std::max(max_change, std::abs(fa.data()[i] - fn.data()[i]));
  CHECK(max_change < 0.3f);
}

TEST_CASE("extractors run concurrently: FFT plans are created under a lock, results unchanged") {
  static_assert(std::is_move_constructible_v<OnlineFeatureExtractor>);
  Rng rng(11);
  std::vector<float> x(12000);
  for (float& v : x) v = static_cast<float>(800 * rng.Gaussian());
  // Rates whose FFT sizes (256 .. 2048, and 1100 without rounding) are new to
  // this process when the threads start planning them at the same time.
  const float rates[] = {11025, 32000, 44100, 24000};
  std::vector<FeatureOptions> opts(4);
  for (int i = 0; i < 4; ++i) {
    opts[i].type = i % 2 ? "fbank" : "spectrogram";
    ForEachOption(opts[i], [&](const OptionRef& ref) {
      if (ref.name == "sample-frequency") ref.set(std::to_string(static_cast<int>(rates[i])));
      if (ref.name == "round-to-power-of-two" && i == 2) ref.set("false");
    });
  }
  std::vector<Matrix> parallel(4);
  std::vector<std::thread> threads;
  for (int i = 0; i < 4; ++i)
    threads.emplace_back([&, i] { parallel[i] = ComputeFeatures(opts[i], x.data(), x.size()); });
  for (auto& t : threads) t.join();
  for (int i = 0; i < 4; ++i) CHECK(parallel[i] == ComputeFeatures(opts[i], x.data(), x.size()));
}

}  // namespace
}  // namespace auris::dsp
