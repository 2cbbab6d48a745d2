#include "cli_support.h"

#include <cmath>
#include <sstream>

#include "auris/audio/write.h"
#include "auris/core/rng.h"

namespace auris::test {

CliResult RunAuris(const std::string& args, const TempDir& dir) {
  CliResult r;
  const std::string out = dir / ".stdout", err = dir / ".stderr";
  RunCommand("cd '" + dir.path().string() + "' && ( '" AURIS_EXE "' " + args + " >'" + out +
                 "' 2>'" + err + "'; echo $? >'" + (dir / ".status") + "' )",
             nullptr);
  r.out = ReadFile(out);
  r.err = ReadFile(err);
  r.status = std::stoi(ReadFile(dir / ".status"));
  return r;
}

std::vector<std::string> LinesWith(const std::string& text, const std::string& needle) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);)
    if (line.find(needle) != std::string::npos) lines.push_back(line);
  return lines;
}

void WriteTestWav(const std::string& path, double seconds, int rate, unsigned seed) {
  Rng rng(seed);
  const auto n = static_cast<std::size_t>(seconds * rate);
  std::vector<float> x(n);
  double phase = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const double t = static_cast<double>(i) / rate;
    const double f0 = 120 + 40 * std::sin(2 * M_PI * 1.3 * t) + 10 * (seed % 5);
    phase += 2 * M_PI * f0 / rate;
    double v = 0;
    for (int h = 1; h <= 8; ++h) v += std::sin(h * phase) / h;
    x[i] = static_cast<float>(3000 * v * (0.6 + 0.4 * std::sin(2 * M_PI * 3 * t)) + 50 * rng.Gaussian());
  }
  audio::WriteWav(path, x, rate, 1);
}

}  // namespace auris::test
