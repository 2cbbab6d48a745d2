// The per-input loop shared by classify and transcribe: inputs processed in
// parallel, results printed in input order, a failed input reported on
// stderr (naming it) without stopping the others.
#pragma once

#include <cstdio>
#include <exception>
#include <optional>
#include <string>
#include <vector>

#include "auris/core/ordered_map.h"
#include "auris/core/thread_pool.h"
#include "auris/io/inputs.h"
#include "closed_pipe.h"

namespace auris::cli {

// The name an input's result is printed under: its path, or a pipe's id.
inline std::string InputName(const io::InputItem& item) { return item.IsPipe() ? item.uttid : item.path; }

// work(item) -> Result (may throw); print(item, result) in input order.
// num_threads 0: all cores. Returns the exit code: 1 if any input failed.
template <typename Result, typename Work, typename Print>
int ForEachInput(const std::string& command, const std::vector<io::InputItem>& items, int num_threads,
                 Work work, Print print) {
  struct Outcome {
    std::optional<Result> result;
    std::string error;
  };
  const int threads = num_threads > 0 ? num_threads : ThreadPool::HardwareThreads();
  std::size_t failed = 0;
  OrderedParallelMap<Outcome>(
      items.size(), threads, 64,
      [&](std::size_t i) {
        Outcome o;
        try {
          o.result = work(items[i]);
        } catch (const std::exception& e) {
          o.error = e.what();
        }
        return o;
      },
      [&](std::size_t i, Outcome o) {
        if (!o.result) {
          ++failed;
          std::fprintf(stderr, "auris %s: error: %s\n", command.c_str(), o.error.c_str());
          return;
        }
        print(items[i], *o.result);
        CheckStdout();
      });
  if (failed > 0) std::fprintf(stderr, "auris %s: %zu of %zu inputs failed\n", command.c_str(), failed, items.size());
  return failed > 0 ? 1 : 0;
}

}  // namespace auris::cli
