#include <doctest/doctest.h>

#include <atomic>
#include <numeric>
#include <thread>
#include <vector>

#include "auris/core/check.h"
#include "auris/core/progress.h"
#include "auris/core/ring_buffer.h"
#include "auris/core/rng.h"
#include "auris/core/thread_pool.h"

using namespace auris;

TEST_CASE("CHECK macros name the condition and both values") {
  try {
    const int frames = 3;
    AURIS_CHECK_EQ(frames, 4) << "in utt1";
    FAIL("no throw");
  } catch (const Error& e) {
    const std::string what = e.what();
    CHECK(what.find("frames == 4") != std::string::npos);
    CHECK(what.find("(3 vs 4)") != std::string::npos);
    CHECK(what.find("in utt1") != std::string::npos);
  }
  CHECK_NOTHROW(AURIS_CHECK(1 + 1 == 2));
  CHECK_THROWS_AS(AURIS_CHECK(false), Error);
}

TEST_CASE("ThreadPool runs every index exactly once and rethrows errors") {
  ThreadPool pool(2);
  CHECK(pool.NumThreads() == 2);
  std::vector<std::atomic<int>> hits(1000);
  for (int round = 0; round < 5; ++round) {
    pool.ParallelFor(hits.size(), [&](std::size_t i, int t) {
      CHECK_LT(t, 2);
      hits[i]++;
    });
  }
  for (auto& h : hits) CHECK(h.load() == 5);
  CHECK_THROWS_WITH(pool.ParallelFor(10, [](std::size_t i, int) {
                      if (i == 7) throw Error("seven");
                    }),
                    "seven");
  // Still usable after an error.
  std::atomic<int> n{0};
  pool.ParallelFor(3, [&](std::size_t, int) { n++; });
  CHECK(n == 3);
}

TEST_CASE("SPSC ring buffer keeps order across wrap-around between threads") {
  SpscRingBuffer<int> rb(37);
  constexpr int kTotal = 200000;
  std::thread producer([&] {
    int next = 0;
    while (next < kTotal) {
      int chunk[13];
      const int n = std::min(13, kTotal - next);
      for (int i = 0; i < n; ++i) chunk[i] = next + i;
      next += static_cast<int>(rb.Write(chunk, n));
    }
  });
  int expected = 0;
  bool in_order = true;
  while (expected < kTotal) {
    int out[16];
    const std::size_t n = rb.Read(out, 16);
    for (std::size_t i = 0; i < n; ++i) in_order &= (out[i] == expected++);
  }
  producer.join();
  CHECK(in_order);
  CHECK(rb.Available() == 0);
  int x[40] = {};
  CHECK(rb.Write(x, 40) == 37);  // never more than capacity
}

TEST_CASE("Rng is deterministic and roughly uniform/normal") {
  Rng a(42), b(42), c(43);
  bool same = true, differs = false;
  for (int i = 0; i < 100; ++i) {
    const double x = a.Uniform(), y = b.Uniform(), z = c.Uniform();
    same &= (x == y);
    differs |= (x != z);
    CHECK(x >= 0.0);
    CHECK(x < 1.0);
  }
  CHECK(same);
  CHECK(differs);
  Rng g(1);
  double sum = 0, sq = 0;
  const int n = 100000;
  for (int i = 0; i < n; ++i) {
    const double v = g.Gaussian();
    sum += v;
    sq += v * v;
  }
  CHECK(std::abs(sum / n) < 0.02);
  CHECK(std::abs(sq / n - 1.0) < 0.02);
}

TEST_CASE("Progress counts and formats durations") {
  Progress p(3, nullptr);
  p.Advance(1.0);
  p.Advance(2.0, true);
  CHECK(p.Done() == 2);
  CHECK(p.Failed() == 1);
  CHECK(Progress::FormatDuration(3725) == "1:02:05");
  CHECK(Progress::FormatDuration(65) == "1:05");
}

#include "auris/core/ordered_map.h"

TEST_CASE("OrderedParallelMap consumes in index order with a bounded window") {
  for (int threads : {1, 2, 3}) {
    std::vector<std::size_t> order;
    std::atomic<int> in_flight{0}, max_in_flight{0};
    OrderedParallelMap<std::size_t>(
        500, threads, 8,
        [&](std::size_t i) {
          const int now = ++in_flight;
          int prev = max_in_flight.load();
          while (now > prev && !max_in_flight.compare_exchange_weak(prev, now)) {}
          // Uneven work so results finish out of order.
          volatile double x = 0;
          for (std::size_t k = 0; k < (i % 7) * 2000; ++k) x = x + 1.0;
          return i * 3;
        },
        [&](std::size_t i, std::size_t r) {
          --in_flight;
          CHECK(r == i * 3);
          order.push_back(i);
        });
    REQUIRE(order.size() == 500);
    for (std::size_t i = 0; i < order.size(); ++i) CHECK(order[i] == i);
    CHECK(max_in_flight.load() <= 8 + 1);
  }
  CHECK_THROWS_WITH(OrderedParallelMap<int>(
                        100, 2, 4,
                        [](std::size_t i) -> int {
                          if (i == 50) throw Error("bad 50");
                          return 1;
                        },
                        [](std::size_t, int) {}),
                    "bad 50");
}
