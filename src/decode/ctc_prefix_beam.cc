#include "auris/decode/ctc_prefix_beam.h"

#include <algorithm>
#include <cmath>
#include <sstream>

#include "auris/core/check.h"

namespace auris::decode {
namespace {

constexpr double kNegInf = -std::numeric_limits<double>::infinity();
constexpr std::uint64_t kEmptyHash = 0x9e3779b97f4a7c15ULL;

// log(exp(a) + exp(b)) without overflow; exact when either side is -inf.
double LogAdd(double a, double b) {
  if (a < b) std::swap(a, b);
  if (b == kNegInf) return a;
  return a + std::log1p(std::exp(b - a));
}

// splitmix64 finaliser over (prefix hash, label): a prefix's hash.
std::uint64_t ExtendHash(std::uint64_t h, int label) {
  std::uint64_t z = h + 0x9e3779b97f4a7c15ULL * (static_cast<std::uint64_t>(label) + 1);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

// dst = src, leaving room for one more element and growing geometrically, so
// a buffer reused frame after frame reallocates only O(log length) times.
template <typename T>
void CopyInto(std::vector<T>& dst, const std::vector<T>& src) {
  if (dst.capacity() < src.size() + 1) dst.reserve(2 * src.size() + 8);
  dst.assign(src.begin(), src.end());
}

}  // namespace

void CtcBeamOptions::Validate() const {
  AURIS_CHECK_GE(beam, 1) << "CTC beam options: beam";
  AURIS_CHECK(prune_log_prob > 0) << "CTC beam options: prune_log_prob must be > 0 (nats) or +inf, got "
                                  << prune_log_prob;
  AURIS_CHECK_GE(blank, 0) << "CTC beam options: blank";
  AURIS_CHECK(std::isfinite(lm_weight) && lm_weight >= 0)
      << "CTC beam options: lm_weight must be finite and >= 0, got " << lm_weight;
  AURIS_CHECK(std::isfinite(word_bonus)) << "CTC beam options: word_bonus must be finite, got " << word_bonus;
}

std::string CtcBeamOptions::ToString() const {
  std::ostringstream os;
  os << "beam=" << beam << " prune_log_prob=" << prune_log_prob << " blank=" << blank;
  if (lm_weight != 0 || word_bonus != 0) os << " lm_weight=" << lm_weight << " word_bonus=" << word_bonus;
  return os.str();
}

CtcPrefixBeamDecoder::CtcPrefixBeamDecoder(int num_classes, const CtcBeamOptions& options,
                                           std::shared_ptr<const LabelLm> lm)
    : num_classes_(num_classes), options_(options), lm_(std::move(lm)) {
  options_.Validate();
  AURIS_CHECK_GE(num_classes, 1) << "CTC prefix beam decoder: number of classes";
  AURIS_CHECK_LT(options_.blank, num_classes)
      << "CTC prefix beam decoder: blank " << options_.blank << " is not a class id in [0, " << num_classes << ")";
  if (lm_) {
    AURIS_CHECK_EQ(lm_->NumClasses(), num_classes) << "CTC prefix beam decoder: classes of the language model";
  }
  Reset();
}

void CtcPrefixBeamDecoder::Reset() {
  frames_ = 0;
  size_ = 1;
  if (prefixes_.empty()) prefixes_.resize(1);
  Prefix& empty = prefixes_[0];
  empty.labels.clear();
  empty.hash = kEmptyHash;
  empty.parent_hash = 0;
  empty.sum_b = empty.best_b = 0;
  empty.sum_nb = empty.best_nb = kNegInf;
  empty.path_b.clear();
  empty.path_nb.clear();
  empty.lm_state = lm_ ? lm_->Start() : LabelLm::State{};
  empty.lm_log_prob = 0;
  empty.words = 0;
}

void CtcPrefixBeamDecoder::AcceptFrame(std::span<const float> log_probs) {
  AURIS_CHECK_EQ(log_probs.size(), static_cast<std::size_t>(num_classes_))
      << "CTC prefix beam decoder: frame " << frames_ << " size vs number of classes";
  AcceptFrame(log_probs.data());
}

void CtcPrefixBeamDecoder::AcceptFrame(const float* log_probs) {
  float max = -std::numeric_limits<float>::infinity();
  for (int c = 0; c < num_classes_; ++c) {
    const float v = log_probs[c];
    AURIS_CHECK(!std::isnan(v) && v != std::numeric_limits<float>::infinity())
        << "CTC prefix beam decoder: log-probability " << v << " for class " << c << " at frame " << frames_;
    max = std::max(max, v);
  }
  AURIS_CHECK(max > -std::numeric_limits<float>::infinity())
      << "CTC prefix beam decoder: every log-probability is -inf at frame " << frames_;
  LinkParents();
  Extend(log_probs, max - options_.prune_log_prob);
  SelectBest();
  Materialize(log_probs);
  ++frames_;
}

// child_[i * C + c] = index of the prefix (labels of i) + c when it is in the
// beam, so an extension merges into it instead of creating a duplicate.
void CtcPrefixBeamDecoder::LinkParents() {
  by_hash_.clear();
  for (int i = 0; i < size_; ++i) by_hash_.emplace_back(prefixes_[i].hash, i);
  std::sort(by_hash_.begin(), by_hash_.end());
  child_.assign(static_cast<std::size_t>(size_) * num_classes_, -1);
  candidates_.clear();
  for (int j = 0; j < size_; ++j) {
    const Prefix& p = prefixes_[j];
    Candidate cand{j, -1, p.labels.empty() ? -1 : p.labels.back(), kNegInf, kNegInf, kNegInf, kNegInf, kNegInf,
                   Source::kNone, Source::kNone, p.lm_state, p.lm_log_prob, p.words, 0};
    if (!p.labels.empty()) {
      auto it = std::lower_bound(by_hash_.begin(), by_hash_.end(), std::make_pair(p.parent_hash, -1));
      for (; it != by_hash_.end() && it->first == p.parent_hash; ++it) {
        const std::vector<int>& q = prefixes_[it->second].labels;
        if (q.size() + 1 == p.labels.size() && std::equal(q.begin(), q.end(), p.labels.begin())) {
          cand.parent = it->second;
          child_[static_cast<std::size_t>(it->second) * num_classes_ + p.labels.back()] = j;
          break;
        }
      }
    }
    candidates_.push_back(cand);
  }
}

// Scores every existing prefix (blank or a repeat of its last label) and every
// one-label extension; candidates_[j] is existing prefix j.
void CtcPrefixBeamDecoder::Extend(const float* log_probs, float threshold) {
  const int blank = options_.blank;
  const double y_blank = log_probs[blank];
  for (int j = 0; j < size_; ++j) {
    const Prefix& p = prefixes_[j];
    Candidate& cand = candidates_[j];
    cand.sum_b = LogAdd(p.sum_b, p.sum_nb) + y_blank;
    cand.b_from = p.best_b >= p.best_nb ? Source::kOwnBlank : Source::kOwnLabel;
    cand.best_b = std::max(p.best_b, p.best_nb) + y_blank;
    if (cand.label >= 0) {
      cand.sum_nb = p.sum_nb + log_probs[cand.label];
      cand.best_nb = p.best_nb + log_probs[cand.label];
      cand.nb_from = Source::kOwnLabel;
    }
  }
  for (int i = 0; i < size_; ++i) {
    const Prefix& p = prefixes_[i];
    const int last = p.labels.empty() ? -1 : p.labels.back();
    const double sum_any = LogAdd(p.sum_b, p.sum_nb);  // shared by every c != last
    const double best_any = std::max(p.best_b, p.best_nb);
    const Source from_any = p.best_b >= p.best_nb ? Source::kParentBlank : Source::kParentLabel;
    for (int c = 0; c < num_classes_; ++c) {
      if (c == blank || log_probs[c] < threshold) continue;
      const double y = log_probs[c];
      // A repeat of the last label starts a new label only after a blank.
      const bool repeat = c == last;
      const double sum = (repeat ? p.sum_b : sum_any) + y;
      if (sum == kNegInf) continue;
      const double best = (repeat ? p.best_b : best_any) + y;
      const Source from = repeat ? Source::kParentBlank : from_any;
      const int target = child_[static_cast<std::size_t>(i) * num_classes_ + c];
      if (target >= 0) {
        Candidate& cand = candidates_[target];
        cand.sum_nb = LogAdd(cand.sum_nb, sum);
        if (best > cand.best_nb) {  // a tie keeps the earlier emission
          cand.best_nb = best;
          cand.nb_from = from;
        }
      } else {
        candidates_.push_back(Candidate{-1, i, c, kNegInf, sum, kNegInf, best, kNegInf, Source::kNone, from,
                                        p.lm_state, p.lm_log_prob, p.words, 0});
        if (lm_) {
          Candidate& cand = candidates_.back();
          cand.lm_log_prob += lm_->Extend(p.lm_state, c, &cand.lm_state, &cand.words);
        }
      }
    }
  }
}

bool CtcPrefixBeamDecoder::LabelsLess(const Candidate& a, const Candidate& b) const {
  // A candidate's labels: an existing prefix's, or its parent's plus `label`.
  auto view = [this](const Candidate& x, std::size_t& n) -> const std::vector<int>& {
    const std::vector<int>& base = prefixes_[x.prefix >= 0 ? x.prefix : x.parent].labels;
    n = base.size() + (x.prefix >= 0 ? 0 : 1);
    return base;
  };
  std::size_t na = 0, nb = 0;
  const std::vector<int>& la = view(a, na);
  const std::vector<int>& lb = view(b, nb);
  for (std::size_t k = 0; k < std::min(na, nb); ++k) {
    const int ak = k < la.size() ? la[k] : a.label;
    const int bk = k < lb.size() ? lb[k] : b.label;
    if (ak != bk) return ak < bk;
  }
  return na < nb;
}

// Fills order_ with the indices of the best `beam` candidates, best first
// (indices, not the candidates themselves, are moved).
void CtcPrefixBeamDecoder::SelectBest() {
  order_.clear();
  for (std::size_t k = 0; k < candidates_.size(); ++k) {
    Candidate& c = candidates_[k];
    c.total = LogAdd(c.sum_b, c.sum_nb);
    c.rank = lm_ ? c.total + Fusion(c.lm_log_prob, c.words) : c.total;
    if (c.total != kNegInf) order_.push_back(static_cast<int>(k));
  }
  auto better = [this](int a, int b) {
    const Candidate& ca = candidates_[a];
    const Candidate& cb = candidates_[b];
    if (ca.rank != cb.rank) return ca.rank > cb.rank;
    return LabelsLess(ca, cb);
  };
  const auto beam = static_cast<std::ptrdiff_t>(options_.beam);
  if (std::ssize(order_) > beam) {
    std::nth_element(order_.begin(), order_.begin() + beam, order_.end(), better);
    order_.resize(static_cast<std::size_t>(beam));
  }
  std::sort(order_.begin(), order_.end(), better);
}

// Builds the surviving candidates into next_ (reusing its buffers) and swaps.
void CtcPrefixBeamDecoder::Materialize(const float* log_probs) {
  if (next_.size() < order_.size()) next_.resize(order_.size());
  for (std::size_t k = 0; k < order_.size(); ++k) {
    const Candidate& cand = candidates_[order_[k]];
    Prefix& dst = next_[k];
    if (cand.prefix >= 0) {
      const Prefix& src = prefixes_[cand.prefix];
      CopyInto(dst.labels, src.labels);
      dst.hash = src.hash;
      dst.parent_hash = src.parent_hash;
    } else {
      const Prefix& parent = prefixes_[cand.parent];
      CopyInto(dst.labels, parent.labels);
      dst.labels.push_back(cand.label);
      dst.hash = ExtendHash(parent.hash, cand.label);
      dst.parent_hash = parent.hash;
    }
    dst.sum_b = cand.sum_b;
    dst.sum_nb = cand.sum_nb;
    dst.best_b = cand.best_b;
    dst.best_nb = cand.best_nb;
    dst.lm_state = cand.lm_state;
    dst.lm_log_prob = cand.lm_log_prob;
    dst.words = cand.words;
    switch (cand.b_from) {
      case Source::kOwnBlank: CopyInto(dst.path_b, prefixes_[cand.prefix].path_b); break;
      case Source::kOwnLabel: CopyInto(dst.path_b, prefixes_[cand.prefix].path_nb); break;
      default: dst.path_b.clear(); break;
    }
    switch (cand.nb_from) {
      case Source::kOwnLabel: CopyInto(dst.path_nb, prefixes_[cand.prefix].path_nb); break;
      case Source::kParentBlank:
      case Source::kParentLabel: {
        const Prefix& parent = prefixes_[cand.parent];
        CopyInto(dst.path_nb, cand.nb_from == Source::kParentBlank ? parent.path_b : parent.path_nb);
        dst.path_nb.push_back(Emission{frames_, log_probs[cand.label]});
        break;
      }
      default: dst.path_nb.clear(); break;
    }
  }
  std::swap(prefixes_, next_);
  size_ = static_cast<int>(order_.size());
}

std::vector<CtcBeamHypothesis> CtcPrefixBeamDecoder::Hypotheses() const {
  std::vector<CtcBeamHypothesis> out(static_cast<std::size_t>(size_));
  for (int k = 0; k < size_; ++k) {
    const Prefix& p = prefixes_[k];
    CtcBeamHypothesis& h = out[k];
    h.labels = p.labels;
    h.log_prob = LogAdd(p.sum_b, p.sum_nb);
    const bool blank_ending = p.best_b >= p.best_nb;
    h.best_path_log_prob = blank_ending ? p.best_b : p.best_nb;
    for (const Emission& e : blank_ending ? p.path_b : p.path_nb) {
      h.frames.push_back(e.frame);
      h.label_log_probs.push_back(e.log_prob);
    }
    h.lm_log_prob = p.lm_log_prob;
    h.num_words = p.words;
    h.score = h.log_prob + Fusion(p.lm_log_prob, p.words);
  }
  return out;
}

std::vector<CtcBeamHypothesis> CtcPrefixBeamDecoder::FinalHypotheses() const {
  std::vector<CtcBeamHypothesis> out = Hypotheses();
  if (!lm_) return out;
  for (int k = 0; k < size_; ++k) {
    CtcBeamHypothesis& h = out[k];
    h.lm_log_prob += lm_->Finish(prefixes_[k].lm_state, &h.num_words);
    h.score = h.log_prob + Fusion(h.lm_log_prob, h.num_words);
  }
  std::stable_sort(out.begin(), out.end(),
                   [](const CtcBeamHypothesis& a, const CtcBeamHypothesis& b) { return a.score > b.score; });
  return out;
}

std::vector<CtcBeamHypothesis> CtcPrefixBeamDecode(const Eigen::Ref<const Matrix>& log_probs,
                                                   const CtcBeamOptions& options, std::shared_ptr<const LabelLm> lm) {
  CtcPrefixBeamDecoder decoder(static_cast<int>(log_probs.cols()), options, std::move(lm));
  for (Eigen::Index t = 0; t < log_probs.rows(); ++t) decoder.AcceptFrame(log_probs.row(t).data());
  return decoder.FinalHypotheses();
}

}  // namespace auris::decode
