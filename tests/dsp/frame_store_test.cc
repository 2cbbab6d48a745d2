// FrameStore ring of any capacity: rows stay in order across wrap-around,
// growth and PopAll (storage handed over when unwrapped, copied when wrapped);
// OnlineFeatureExtractor::PopAll mid-stream gives the batch rows.
#include <algorithm>
#include <cstdint>
#include <vector>

#include "auris/core/rng.h"
#include "auris/dsp/feature_extractor.h"
#include "auris/dsp/frame_store.h"
#include "test_support.h"

namespace auris::dsp {
namespace {

// Row r of the test sequence: {r, r + 0.5, -r}.
void PushRow(FrameStore& store, std::int64_t r) {
  const float row[3] = {static_cast<float>(r), static_cast<float>(r) + 0.5f,
                        -static_cast<float>(r)};
  store.Push(row);
}

void CheckRows(const Matrix& m, std::int64_t first) {
  for (Eigen::Index i = 0; i < m.rows(); ++i) {
    const auto r = static_cast<float>(first + i);
    INFO("row " << i);
    CHECK(m(i, 0) == r);
    CHECK(m(i, 1) == r + 0.5f);
    CHECK(m(i, 2) == -r);
  }
}

TEST_CASE("FrameStore keeps rows in order across wrap-around, growth and PopAll") {
  FrameStore store(3);
  for (int r = 0; r < 10; ++r) PushRow(store, r);
  store.Pop(7);  // rows 7..9 held, ring head at 7
  for (int r = 10; r < 20; ++r) PushRow(store, r);  // wraps the 16-row ring
  CHECK(store.Size() == 13);
  for (std::int64_t t = 7; t < 20; ++t) CHECK(store.Row(t)[0] == static_cast<float>(t));
  PushRow(store, 20);
  PushRow(store, 21);
  PushRow(store, 22);
  PushRow(store, 23);  // 17 rows: grows while wrapped
  for (std::int64_t t = 7; t < 24; ++t) CHECK(store.Row(t)[2] == -static_cast<float>(t));
  store.Pop(2);
  for (int r = 24; r < 40; ++r) PushRow(store, r);  // wraps the grown ring
  const Matrix wrapped = store.PopAll();  // copied
  REQUIRE(wrapped.rows() == 31);
  CheckRows(wrapped, 9);
  CHECK(store.Size() == 0);
  CHECK(store.NumPopped() == 40);
  CHECK(store.NumFrames() == 40);

  // A batch: one exact reservation, handed over whole.
  store.Reserve(100);
  for (int r = 40; r < 140; ++r) PushRow(store, r);
  const Matrix batch = store.PopAll();
  REQUIRE(batch.rows() == 100);
  CheckRows(batch, 40);
  // Still usable after handing its storage over.
  PushRow(store, 140);
  CHECK(store.Row(140)[1] == 140.5f);
  CHECK(store.PopAll().rows() == 1);
}

TEST_CASE("PopAll mid-stream returns exactly the batch frames not yet popped") {
  FeatureOptions opts;  // Kaldi-default MFCC, 16 kHz
  Rng rng(11);
  std::vector<float> samples(16000 * 3);
  for (float& v : samples) v = static_cast<float>(2000 * rng.Gaussian());
  const Matrix batch = ComputeFeatures(opts, samples.data(), samples.size());
  REQUIRE(batch.rows() > 100);

  OnlineFeatureExtractor online(opts);
  std::int64_t fed = 0, taken = 0;
  while (fed < static_cast<std::int64_t>(samples.size())) {
    const std::int64_t chunk =
        std::min<std::int64_t>(samples.size() - fed, 1 + rng.Index(3000));
    online.AcceptWaveform(16000.0f, samples.data() + fed, chunk);
    fed += chunk;
    // Pop a few frames one by one, then take the rest at once.
    const std::int64_t held = online.NumFramesReady() - online.NumFramesPopped();
    const std::int64_t pop = held > 0 ? rng.Index(static_cast<std::uint32_t>(held)) : 0;
    online.Pop(pop);
    taken += pop;
    const Matrix rest = online.PopAll();
    CHECK(rest == batch.middleRows(taken, rest.rows()));
    taken += rest.rows();
    CHECK(online.NumFramesPopped() == taken);
  }
  online.InputFinished();
  CHECK(online.PopAll().rows() == 0);  // snip_edges: nothing new at the end
  CHECK(taken == batch.rows());
}

}  // namespace
}  // namespace auris::dsp
