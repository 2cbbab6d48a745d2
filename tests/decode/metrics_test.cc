// Confusion matrix metrics against a hand-computed example.
#include <doctest/doctest.h>

#include "auris/core/error.h"
#include "auris/decode/metrics.h"

using auris::decode::Confusion;

TEST_CASE("Confusion: accuracy, precision, recall and support of a hand-computed example") {
  // Four classes; class 2 is never predicted, class 3 never occurs.
  //            predicted 0  1  2  3
  //   truth 0           2  1  0  0
  //   truth 1           1  3  0  0
  //   truth 2           1  1  0  0
  Confusion c(4);
  CHECK(c.Accuracy() == 0);  // empty
  const int pairs[][2] = {{0, 0}, {0, 0}, {0, 1}, {1, 1}, {1, 0}, {1, 1}, {1, 1}, {2, 0}, {2, 1}};
  for (const auto& p : pairs) c.Add(p[0], p[1]);

  CHECK(c.NumClasses() == 4);
  CHECK(c.Total() == 9);
  CHECK(c.Count(0, 0) == 2);
  CHECK(c.Count(0, 1) == 1);
  CHECK(c.Count(1, 0) == 1);
  CHECK(c.Count(1, 1) == 3);
  CHECK(c.Count(2, 0) == 1);
  CHECK(c.Count(2, 1) == 1);
  CHECK(c.Count(2, 2) == 0);
  CHECK(c.Accuracy() == doctest::Approx(5.0 / 9));

  CHECK(c.Support(0) == 3);
  CHECK(c.Support(1) == 4);
  CHECK(c.Support(2) == 2);
  CHECK(c.Support(3) == 0);
  CHECK(c.Predicted(0) == 4);
  CHECK(c.Predicted(1) == 5);
  CHECK(c.Predicted(2) == 0);

  CHECK(c.Precision(0) == doctest::Approx(2.0 / 4));
  CHECK(c.Precision(1) == doctest::Approx(3.0 / 5));
  CHECK(c.Precision(2) == 0);  // never predicted: 0, as sklearn's zero_division=0
  CHECK(c.Precision(3) == 0);
  CHECK(c.Recall(0) == doctest::Approx(2.0 / 3));
  CHECK(c.Recall(1) == doctest::Approx(3.0 / 4));
  CHECK(c.Recall(2) == 0);
  CHECK(c.Recall(3) == 0);  // no examples: 0
}

TEST_CASE("Confusion: classes outside the range are errors naming them") {
  CHECK_THROWS_AS(Confusion(0), auris::Error);
  Confusion c(3);
  CHECK_THROWS_WITH_AS(c.Add(3, 0), doctest::Contains("(3, 0) outside [0, 3)"), auris::Error);
  CHECK_THROWS_AS(c.Add(0, -1), auris::Error);
  CHECK_THROWS_AS(c.Add(-1, 0), auris::Error);
  CHECK(c.Total() == 0);  // rejected pairs are not counted
}
