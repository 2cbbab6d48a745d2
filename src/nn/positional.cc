#include "auris/nn/positional.h"

#include <cmath>

#include "auris/core/check.h"

namespace auris::nn {

Positional ParsePositional(const std::string& name) {
  if (name == "none") return Positional::kNone;
  if (name == "alibi") return Positional::kAlibi;
  throw MakeError("positional: unknown scheme '", name, "' (expected \"none\" or \"alibi\")");
}

std::string PositionalName(Positional p) { return p == Positional::kAlibi ? "alibi" : "none"; }

std::vector<float> AlibiSlopes(int num_heads) {
  AURIS_CHECK_GT(num_heads, 0) << "AlibiSlopes";
  std::vector<float> slopes(num_heads);
  for (int h = 0; h < num_heads; ++h)
    slopes[h] = static_cast<float>(std::exp2(-8.0 * (h + 1) / num_heads));
  return slopes;
}

}  // namespace auris::nn
