// Classification metrics: a confusion matrix (rows = true class, columns =
// predicted) and what follows from it — accuracy, per-class precision and
// recall (0 when undefined, as sklearn's zero_division=0).
#pragma once

#include <cstdint>
#include <vector>

namespace auris::decode {

class Confusion {
 public:
  explicit Confusion(int num_classes);

  // Throws auris::Error for a class outside [0, num_classes).
  void Add(int truth, int predicted);

  int NumClasses() const { return n_; }
  std::int64_t Count(int truth, int predicted) const { return counts_[truth * n_ + predicted]; }
  std::int64_t Total() const { return total_; }
  std::int64_t Support(int c) const;    // examples whose true class is c
  std::int64_t Predicted(int c) const;  // examples predicted as c
  double Accuracy() const;              // 0 when empty
  double Precision(int c) const;
  double Recall(int c) const;

 private:
  int n_;
  std::vector<std::int64_t> counts_;
  std::int64_t total_ = 0;
};

}  // namespace auris::decode
