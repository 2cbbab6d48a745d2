#include "auris/decode/edit_distance.h"

#include <algorithm>
#include <cstdint>
#include <limits>

namespace auris::decode {

double EditAlignment::ErrorRate() const {
  if (ref_length > 0) return static_cast<double>(Errors()) / ref_length;
  return Errors() == 0 ? 0.0 : std::numeric_limits<double>::infinity();
}

EditAlignment Align(std::span<const int> ref, std::span<const int> hyp) {
  const std::size_t m = ref.size();
  const std::size_t n = hyp.size();
  // cost[i][j]: edits aligning ref[0, i) with hyp[0, j); one row-major table,
  // kept whole for the walk back.
  std::vector<std::int32_t> cost((m + 1) * (n + 1));
  auto at = [&](std::size_t i, std::size_t j) -> std::int32_t& { return cost[i * (n + 1) + j]; };
  for (std::size_t i = 0; i <= m; ++i) at(i, 0) = static_cast<std::int32_t>(i);
  for (std::size_t j = 0; j <= n; ++j) at(0, j) = static_cast<std::int32_t>(j);
  for (std::size_t i = 1; i <= m; ++i) {
    for (std::size_t j = 1; j <= n; ++j) {
      const std::int32_t diagonal = at(i - 1, j - 1) + (ref[i - 1] == hyp[j - 1] ? 0 : 1);
      at(i, j) = std::min({diagonal, at(i - 1, j) + 1, at(i, j - 1) + 1});
    }
  }

  EditAlignment a;
  a.ref_length = static_cast<int>(m);
  std::size_t i = m, j = n;
  while (i > 0 || j > 0) {
    const std::int32_t c = at(i, j);
    if (i > 0 && j > 0 && c == at(i - 1, j - 1) + (ref[i - 1] == hyp[j - 1] ? 0 : 1)) {
      const bool same = ref[i - 1] == hyp[j - 1];
      a.ops.push_back({same ? EditOp::Kind::kMatch : EditOp::Kind::kSubstitution,
                       static_cast<int>(i - 1), static_cast<int>(j - 1)});
      a.substitutions += same ? 0 : 1;
      --i;
      --j;
    } else if (i > 0 && c == at(i - 1, j) + 1) {
      a.ops.push_back({EditOp::Kind::kDeletion, static_cast<int>(i - 1), -1});
      ++a.deletions;
      --i;
    } else {
      a.ops.push_back({EditOp::Kind::kInsertion, -1, static_cast<int>(j - 1)});
      ++a.insertions;
      --j;
    }
  }
  std::reverse(a.ops.begin(), a.ops.end());
  return a;
}

}  // namespace auris::decode
