// Greedy CTC decoding against hand-worked frame sequences.
#include "auris/decode/ctc_greedy.h"

#include <doctest/doctest.h>

#include <cmath>
#include <limits>
#include <vector>

#include "auris/core/error.h"

namespace auris::decode {
namespace {

// A T x C score matrix whose frame t has its maximum at best[t] (score 2,
// others 0.1 * class so they are not all equal).
Matrix ScoresWithArgmax(const std::vector<int>& best, int num_classes) {
  Matrix m(static_cast<Eigen::Index>(best.size()), num_classes);
  for (Eigen::Index t = 0; t < m.rows(); ++t) {
    for (int c = 0; c < num_classes; ++c) m(t, c) = 0.1f * static_cast<float>(c);
    m(t, best[t]) = 2.0f;
  }
  return m;
}

}  // namespace

TEST_CASE("CtcGreedyDecode merges runs, drops blanks and keeps each run's frames") {
  // frame:   0  1  2  3  4  5  6  7
  // argmax:  0  1  1  0  1  2  2  0   -> 1 (1..2), 1 (4..4), 2 (5..6)
  const CtcGreedyResult r = CtcGreedyDecode(ScoresWithArgmax({0, 1, 1, 0, 1, 2, 2, 0}, 3));
  CHECK(r.labels == std::vector<int>{1, 1, 2});
  CHECK(r.first_frame == std::vector<int>{1, 4, 5});
  CHECK(r.last_frame == std::vector<int>{2, 4, 6});
}

TEST_CASE("CtcGreedyDecode: repeats without a blank are one label - labels at the edges") {
  // 2 2 2 1 1 3: no blanks at all; the first and last frames emit.
  const CtcGreedyResult r = CtcGreedyDecode(ScoresWithArgmax({2, 2, 2, 1, 1, 3}, 4));
  CHECK(r.labels == std::vector<int>{2, 1, 3});
  CHECK(r.first_frame == std::vector<int>{0, 3, 5});
  CHECK(r.last_frame == std::vector<int>{2, 4, 5});
}

TEST_CASE("CtcGreedyDecode: all blank and empty input give no labels") {
  CHECK(CtcGreedyDecode(ScoresWithArgmax({0, 0, 0}, 3)).labels.empty());
  const CtcGreedyResult empty = CtcGreedyDecode(Matrix(0, 3));
  CHECK(empty.labels.empty());
  CHECK(empty.first_frame.empty());
  CHECK(empty.last_frame.empty());
}

TEST_CASE("CtcGreedyDecode: ties go to the lowest class - log-probabilities work like logits") {
  Matrix m(3, 3);
  m << 0.5f, 0.5f, 0.1f,   // tie blank/1 -> blank
       0.2f, 0.7f, 0.7f,   // tie 1/2 -> 1
       -1.0f, -3.0f, -0.5f;  // 2 (all negative, like log-probabilities)
  const CtcGreedyResult r = CtcGreedyDecode(m);
  CHECK(r.labels == std::vector<int>{1, 2});
  CHECK(r.first_frame == std::vector<int>{1, 2});
}

TEST_CASE("CtcGreedyDecode with a blank other than 0") {
  // blank = 2: argmax 0 2 0 1 1 2 -> 0 (0), 0 (2), 1 (3..4)
  const CtcGreedyResult r = CtcGreedyDecode(ScoresWithArgmax({0, 2, 0, 1, 1, 2}, 3), 2);
  CHECK(r.labels == std::vector<int>{0, 0, 1});
  CHECK(r.first_frame == std::vector<int>{0, 2, 3});
  CHECK(r.last_frame == std::vector<int>{0, 2, 4});
}

TEST_CASE("CtcGreedyDecode reads one sequence of a time-major batch through a strided view") {
  // Two sequences interleaved row by row (row t*2 + b), as in nn::SeqBatch.
  const Matrix a = ScoresWithArgmax({1, 0, 1, 2}, 3);
  const Matrix b = ScoresWithArgmax({2, 2, 0, 0}, 3);
  Matrix batch(8, 3);
  for (int t = 0; t < 4; ++t) {
    batch.row(2 * t) = a.row(t);
    batch.row(2 * t + 1) = b.row(t);
  }
  using Strided = Eigen::Map<const Matrix, 0, Eigen::OuterStride<>>;
  const Strided seq1(batch.data() + 3, 4, 3, Eigen::OuterStride<>(6));
  const CtcGreedyResult r = CtcGreedyDecode(seq1);
  CHECK(r.labels == std::vector<int>{2});
  CHECK(r.last_frame == std::vector<int>{1});
  const Strided seq0(batch.data(), 4, 3, Eigen::OuterStride<>(6));
  CHECK(CtcGreedyDecode(seq0).labels == std::vector<int>{1, 1, 2});
}

TEST_CASE("CtcGreedyDecoder frame by frame: partial results, run growth, Reset") {
  const Matrix m = ScoresWithArgmax({0, 3, 3, 3, 0, 3}, 4);
  CtcGreedyDecoder d(4);
  d.AcceptFrame(m.row(0).data());
  CHECK(d.Result().labels.empty());
  d.AcceptFrame(m.row(1).data());
  CHECK(d.Result().labels == std::vector<int>{3});
  CHECK(d.Result().last_frame == std::vector<int>{1});
  d.AcceptFrame(m.row(2).data());
  d.AcceptFrame(m.row(3).data());
  CHECK(d.Result().labels == std::vector<int>{3});
  CHECK(d.Result().last_frame == std::vector<int>{3});  // the run grew
  d.AcceptFrame(m.row(4).data());
  d.AcceptFrame(m.row(5).data());
  CHECK(d.Result().labels == std::vector<int>{3, 3});
  CHECK(d.FramesSeen() == 6);
  d.Reset();
  CHECK(d.FramesSeen() == 0);
  CHECK(d.Result().labels.empty());
  d.AcceptFrame(m.row(3).data());  // a 3 right after Reset is a new label at frame 0
  CHECK(d.Result().labels == std::vector<int>{3});
  CHECK(d.Result().first_frame == std::vector<int>{0});
}

TEST_CASE("CtcGreedyDecoder rejects a bad blank, no classes and NaN scores") {
  CHECK_THROWS_AS(CtcGreedyDecoder(3, 3), Error);
  CHECK_THROWS_AS(CtcGreedyDecoder(3, -1), Error);
  CHECK_THROWS_AS(CtcGreedyDecoder(0), Error);
  Matrix m = ScoresWithArgmax({1, 1}, 3);
  m(1, 2) = std::numeric_limits<float>::quiet_NaN();
  CHECK_THROWS_WITH_AS(CtcGreedyDecode(m), doctest::Contains("frame 1"), Error);
}

}  // namespace auris::decode
