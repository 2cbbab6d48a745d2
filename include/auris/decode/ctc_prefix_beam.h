// CTC prefix beam search: keeps the `beam` most probable label prefixes, each
// scored by the summed probability of all CTC paths (alignments) that collapse
// to it, split into paths ending in a blank (p_b) and in the prefix's last
// label (p_nb), in log space. Unlike greedy (best-path) decoding it finds a
// labelling whose mass is spread over many alignments.
//
// Input is per-frame LOG-probabilities (log-softmax output), natural log:
// the scores are added and log-added as log-probabilities, so raw logits or
// plain probabilities give meaningless results. NaN, +inf and an all -inf
// frame are rejected; normalisation is not checked (callers may add penalties).
//
// Cost per frame: O(beam x classes) scoring plus copying the kept prefixes
// (O(beam x prefix length)); buffers are reused, so a steady stream does not
// allocate. For unbounded live input, Reset() at endpoints keeps prefixes short.
//
// One implementation for streaming and batch: CtcPrefixBeamDecoder takes
// frames one at a time; CtcPrefixBeamDecode runs it over a whole T x C matrix.
//
// Shallow fusion with a word LM (label_lm.h): prefixes are ranked by
//   log_prob + lm_weight * ln P_lm(words) + word_bonus * number of words,
// the LM term added once per word as the label completing it is appended, so
// frames stream in without re-scoring (char units: a word being spelled
// carries its lookahead meanwhile, label_lm.h). FinalHypotheses() adds what
// only the end can tell: the unfinished last word and </s>. The
// acoustic sums (p_b, p_nb) stay purely acoustic; the LM only ranks.
#pragma once

#include <cstdint>
#include <limits>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "auris/core/eigen.h"
#include "auris/decode/label_lm.h"

namespace auris::decode {

struct CtcBeamOptions {
  // Number of prefixes kept after every frame (>= 1). With beam = 1 the single
  // most probable prefix (by summed probability) survives each frame: this is
  // not best-path greedy decoding and can differ from it, and its score counts
  // only the paths through the surviving prefixes.
  int beam = 8;
  // Per-frame pruning, in nats: a class whose log-probability is below the
  // frame's maximum minus this never extends a prefix on that frame (it still
  // continues existing prefixes). +infinity disables pruning. 20 nats drops
  // classes under 2e-9 of the frame's best (a pruned extension would carry
  // less than that share of its parent's mass) and skips most classes of a
  // peaky CTC model.
  float prune_log_prob = 20.0f;
  // Blank class id (0, as in CtcLoss).
  int blank = 0;
  // Shallow fusion, used only with a LabelLm: weight of the LM's natural-log
  // probability (>= 0) and a bonus per word (nats, any sign).
  float lm_weight = 0;
  float word_bonus = 0;

  // Throws auris::Error naming the option.
  void Validate() const;
  std::string ToString() const;
};

struct CtcBeamHypothesis {
  std::vector<int> labels;  // class ids, never the blank
  // log of the summed probability of all (surviving) paths giving `labels`.
  double log_prob = 0;
  // The single best-scoring surviving path of `labels`: its log-probability
  // and, per label, the frame where that path enters the label (first frame
  // of its run) and the label's log-probability at that frame.
  double best_path_log_prob = 0;
  std::vector<int> frames;
  std::vector<float> label_log_probs;
  // With a LabelLm: the LM's natural-log probability of the words so far
  // (char units: plus the unfinished word's lookahead) and their number
  // (FinalHypotheses: all words and </s>). Without: 0.
  double lm_log_prob = 0;
  int num_words = 0;
  // What ranks hypotheses: log_prob + lm_weight * lm_log_prob + word_bonus * num_words.
  double score = 0;
};

class CtcPrefixBeamDecoder {
 public:
  // Throws auris::Error on bad options, num_classes < 1, a blank outside
  // [0, num_classes) or an LM over another number of classes. Without an LM
  // the fusion options are ignored.
  CtcPrefixBeamDecoder(int num_classes, const CtcBeamOptions& options = {},
                       std::shared_ptr<const LabelLm> lm = nullptr);

  // One frame of num_classes log-probabilities. Throws auris::Error (naming
  // the frame and class) on NaN or +inf, or if every class is -inf. The span
  // form also checks the size.
  void AcceptFrame(const float* log_probs);
  void AcceptFrame(std::span<const float> log_probs);

  // The current n-best (at most `beam`), best first: by score descending
  // (log_prob without an LM), exact ties by label sequence in lexicographic
  // order (a prefix before its extensions). Before the first frame: one empty
  // hypothesis, log_prob 0.
  // Best paths tied in score: continuing a label's run wins over entering it
  // (the earlier emission frame is kept), a blank-ending path over a
  // label-ending one.
  std::vector<CtcBeamHypothesis> Hypotheses() const;
  // Labels of Hypotheses().front(), without copying the n-best.
  const std::vector<int>& BestLabels() const { return prefixes_.front().labels; }
  // The n-best as a complete utterance: with an LM, each scored with its
  // unfinished word and </s> and re-ranked (stable); without, Hypotheses().
  std::vector<CtcBeamHypothesis> FinalHypotheses() const;

  int FramesSeen() const { return frames_; }
  int NumClasses() const { return num_classes_; }
  const CtcBeamOptions& Options() const { return options_; }
  // Back to the state before the first frame (buffers are kept).
  void Reset();

 private:
  struct Emission {
    int frame;
    float log_prob;
  };
  struct Prefix {
    std::vector<int> labels;
    std::uint64_t hash = 0;         // of labels
    std::uint64_t parent_hash = 0;  // of labels without the last one
    double sum_b = 0, sum_nb = 0;    // log summed prob of paths ending in blank / in labels.back()
    double best_b = 0, best_nb = 0;  // log prob of the best such path
    std::vector<Emission> path_b, path_nb;  // emissions of those best paths
    LabelLm::State lm_state;
    double lm_log_prob = 0;
    int words = 0;
  };
  // Where a candidate's best path comes from.
  enum class Source : std::uint8_t { kNone, kOwnBlank, kOwnLabel, kParentBlank, kParentLabel };
  struct Candidate {
    int prefix;  // index of the existing prefix with these labels, or -1 if new
    int parent;  // index of the prefix without the last label, or -1 if not in the beam
    int label;   // last label, or -1 for the empty prefix
    double sum_b, sum_nb, best_b, best_nb, total;
    Source b_from, nb_from;
    LabelLm::State lm_state{};
    double lm_log_prob = 0;
    int words = 0;
    double rank = 0;  // total plus the fused LM terms
  };

  void LinkParents();
  void Extend(const float* log_probs, float threshold);
  void SelectBest();
  void Materialize(const float* log_probs);
  bool LabelsLess(const Candidate& a, const Candidate& b) const;

  double Fusion(double lm_log_prob, int words) const {
    return options_.lm_weight * lm_log_prob + options_.word_bonus * words;
  }

  int num_classes_;
  CtcBeamOptions options_;
  std::shared_ptr<const LabelLm> lm_;
  int frames_ = 0;
  int size_ = 0;                  // live entries of prefixes_
  std::vector<Prefix> prefixes_;  // best first
  std::vector<Prefix> next_;
  std::vector<Candidate> candidates_;
  std::vector<int> order_;  // surviving candidates, best first
  std::vector<int> child_;  // [parent * num_classes + label] -> existing prefix index or -1
  std::vector<std::pair<std::uint64_t, int>> by_hash_;
};

// Decodes a whole utterance: rows are frames, columns classes (any row
// stride). Returns the final n-best (FinalHypotheses), best first.
std::vector<CtcBeamHypothesis> CtcPrefixBeamDecode(const Eigen::Ref<const Matrix>& log_probs,
                                                   const CtcBeamOptions& options = {},
                                                   std::shared_ptr<const LabelLm> lm = nullptr);

}  // namespace auris::decode
