#include "auris/decode/metrics.h"

#include "auris/core/error.h"

namespace auris::decode {

Confusion::Confusion(int num_classes) : n_(num_classes), counts_(static_cast<std::size_t>(num_classes) * num_classes) {
  if (num_classes < 1) throw MakeError("Confusion: need at least one class (got ", num_classes, ")");
}

void Confusion::Add(int truth, int predicted) {
  if (truth < 0 || truth >= n_ || predicted < 0 || predicted >= n_)
    throw MakeError("Confusion: class (", truth, ", ", predicted, ") outside [0, ", n_, ")");
  ++counts_[truth * n_ + predicted];
  ++total_;
}

std::int64_t Confusion::Support(int c) const {
  std::int64_t s = 0;
  for (int p = 0; p < n_; ++p) s += Count(c, p);
  return s;
}

std::int64_t Confusion::Predicted(int c) const {
  std::int64_t s = 0;
  for (int t = 0; t < n_; ++t) s += Count(t, c);
  return s;
}

double Confusion::Accuracy() const {
  if (total_ == 0) return 0;
  std::int64_t right = 0;
  for (int c = 0; c < n_; ++c) right += Count(c, c);
  return static_cast<double>(right) / static_cast<double>(total_);
}

double Confusion::Precision(int c) const {
  const std::int64_t p = Predicted(c);
  return p > 0 ? static_cast<double>(Count(c, c)) / static_cast<double>(p) : 0.0;
}

double Confusion::Recall(int c) const {
  const std::int64_t s = Support(c);
  return s > 0 ? static_cast<double>(Count(c, c)) / static_cast<double>(s) : 0.0;
}

}  // namespace auris::decode
