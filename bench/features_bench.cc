// Feature extraction speed, single thread.
//   features_bench [--audio FILE.f32] [--seconds N] [--type mfcc|fbank|spectrogram]
// FILE.f32: raw little-endian float32 samples, 16 kHz, int16 scale (written by
// bench/torchaudio_mfcc.py, which runs this binary and torchaudio on the same
// audio). Without --audio a Gaussian noise signal of N seconds is used.
// Prints "auris <type>: <seconds of audio> s in <cpu> s CPU = <x> x real time"
// (thread CPU time, so other load on the machine does not count), the same
// for a streaming run in 10 ms chunks that pops every frame, and the peak RSS
// after streaming one hour of audio that way.
#include <time.h>

#include <cstdio>
#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <string>
#include <vector>

#include "auris/core/rng.h"
#include "auris/dsp/feature_extractor.h"

namespace {

double ThreadCpuSeconds() {
  timespec ts;
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return ts.tv_sec + 1e-9 * ts.tv_nsec;
}

double WallSeconds() {
  timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec + 1e-9 * ts.tv_nsec;
}

// Peak resident set of this process image in MB (VmHWM; unlike getrusage's
// ru_maxrss it is not inherited from a parent across exec).
double PeakRssMb() {
  std::ifstream status("/proc/self/status");
  std::string line;
  while (std::getline(status, line))
    if (line.rfind("VmHWM:", 0) == 0) return std::atof(line.c_str() + 6) / 1024.0;
  return -1;
}

std::vector<float> ReadF32(const std::string& path) {
  std::ifstream in(path, std::ios::binary | std::ios::ate);
  if (!in) {
    std::fprintf(stderr, "cannot open %s\n", path.c_str());
    std::exit(1);
  }
  std::vector<float> x(static_cast<std::size_t>(in.tellg()) / sizeof(float));
  in.seekg(0);
  in.read(reinterpret_cast<char*>(x.data()), x.size() * sizeof(float));
  return x;
}

}  // namespace

int main(int argc, char** argv) {
  std::string audio, type = "mfcc";
  double seconds = 600;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string flag = argv[i];
    if (flag == "--audio") audio = argv[i + 1];
    else if (flag == "--seconds") seconds = std::atof(argv[i + 1]);
    else if (flag == "--type") type = argv[i + 1];
    else {
      std::fprintf(stderr, "usage: %s [--audio FILE.f32] [--seconds N] [--type T]\n", argv[0]);
      return 2;
    }
  }
  const float rate = 16000.0f;
  std::vector<float> x;
  if (!audio.empty()) {
    x = ReadF32(audio);
  } else {
    auris::Rng rng(1);
    x.resize(static_cast<std::size_t>(seconds * rate));
    for (float& v : x) v = static_cast<float>(1000 * rng.Gaussian());
  }
  const double audio_seconds = x.size() / rate;
  auris::dsp::FeatureOptions opts;  // Kaldi defaults
  opts.type = type;

  try {
    // Batch: the driver fed once (best of 3 runs).
    double best = 1e30;
    std::int64_t frames = 0;
    for (int run = 0; run < 3; ++run) {
      const double t0 = ThreadCpuSeconds();
      const auris::Matrix m = auris::dsp::ComputeFeatures(opts, x.data(), x.size());
      best = std::min(best, ThreadCpuSeconds() - t0);
      frames = m.rows();
    }
    std::printf("auris %s batch: %.1f s audio, %lld frames in %.4f s CPU = %.0f x real time\n",
                type.c_str(), audio_seconds, static_cast<long long>(frames), best,
                audio_seconds / best);

    // Streaming: 10 ms chunks, every frame read and popped.
    auris::dsp::OnlineFeatureExtractor online(opts);
    std::vector<float> row(online.Dim());
    const std::size_t chunk = 160;
    double t0 = ThreadCpuSeconds();
    for (std::size_t at = 0; at < x.size(); at += chunk) {
      online.AcceptWaveform(rate, x.data() + at, std::min(chunk, x.size() - at));
      for (auto f = online.NumFramesPopped(); f < online.NumFramesReady(); ++f)
        online.GetFrame(f, row.data());
      online.Pop(online.NumFramesReady() - online.NumFramesPopped());
    }
    online.InputFinished();
    const double stream = ThreadCpuSeconds() - t0;
    std::printf("auris %s streaming (10 ms chunks): %.0f x real time\n", type.c_str(),
                audio_seconds / stream);

    // One hour streamed in 1 s chunks, popping as it goes: memory stays flat.
    auris::dsp::OnlineFeatureExtractor hour(opts);
    const double w0 = WallSeconds();
    for (int s = 0; s < 3600; ++s) {
      const std::size_t at = (static_cast<std::size_t>(s) * 16000) % (x.size() - 16000);
      hour.AcceptWaveform(rate, x.data() + at, 16000);
      hour.Pop(hour.NumFramesReady() - hour.NumFramesPopped());
    }
    hour.InputFinished();
    std::printf("auris %s 1 h stream: %.1f s wall, peak RSS %.1f MB (includes the %.0f MB "
                "input buffer)\n",
                type.c_str(), WallSeconds() - w0, PeakRssMb(),
                x.size() * sizeof(float) / 1e6);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "error: %s\n", e.what());
    return 1;
  }
  return 0;
}
