// The training loop: epochs over an AudioSet, each example augmented and
// turned into features afresh through the serving feature chain, batched,
// gradients over several threads (nn::ParallelGradient), AdamW with warm-up
// + cosine decay and global-norm clipping, validation after every epoch,
// best-on-validation model kept, early stopping, a checkpoint after every
// epoch (and on request, e.g. Ctrl-C, between batches). Without validation
// data the model of the last epoch is kept. With average_last = N the final
// model is instead the mean of the weights after each of the last N epochs
// (checkpoint averaging, as ESPnet's and fairseq's average_checkpoints).
//
// Determinism: everything random is drawn from Rng(seed, epoch, example) or
// Rng(seed, step) — never from thread timing — and gradients are summed over
// a fixed number of shards in order, so the same seed gives the same model
// whatever the thread count, and a resumed run continues exactly as if it
// had never stopped.
#pragma once

#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <vector>

#include "auris/modelfile/model_file.h"
#include "auris/nn/model.h"
#include "auris/pipeline/feature_pipeline.h"
#include "auris/train/audio_set.h"
#include "auris/train/augment.h"
#include "auris/train/units.h"

namespace auris::train {

enum class Task { kClassify, kCtc };

struct TrainOptions {
  Task task = Task::kClassify;
  Units units = Units::kWords;  // CTC output units
  int epochs = 40;
  int batch_size = 32;
  float lr = 2e-3f;            // peak learning rate
  float min_lr_ratio = 0.02f;  // cosine decay floor, as a fraction of lr
  float weight_decay = 1e-2f;  // AdamW
  int warmup_steps = 100;
  float clip_norm = 5.0f;
  float label_smoothing = 0.1f;
  std::uint64_t seed = 1;
  int num_threads = 0;         // 0: all hardware threads; the model does not depend on it
  // Gradient shards: each batch's gradient is the sum of this many shards',
  // in shard order, so this (not num_threads) fixes the result; it also
  // bounds how many threads work on one batch.
  int num_shards = 8;
  int patience = 0;            // stop after this many epochs without a better validation score (0: never)
  int average_last = 0;        // final model: mean weights of the last N epochs (0: the best epoch)
  AugmentOptions augment;      // training examples only
  // CTC only: a second output of 3 classes per frame (outside / word onset /
  // inside, decode/word_segmentation.h) trained with cross-entropy on the
  // true word times (every training example needs them: words.ctm), summed
  // over frames and weighted by boundary_weight, for word timestamps.
  bool boundary_head = false;
  double boundary_weight = 0.1;
  double onset_ms = 40;        // frames in the first onset_ms of a word are its onset
  // Classifiers: test-time VTLN warps stored in the model (vtln_search.h);
  // inference only, so not part of ToString (resuming may change it).
  std::vector<double> vtln_search;

  void Validate() const;
  std::string ToString() const;
};

struct EpochStats {
  int epoch = 0;  // 1-based
  double train_loss = 0, train_acc = 0;
  bool has_valid = false;
  double valid_loss = 0, valid_acc = 0;  // CTC: valid_acc = sentence accuracy
  double valid_wer = 0;                   // CTC only (greedy decoding)
  double lr = 0;
  double frames_per_s = 0;
  double elapsed_s = 0;  // since the start of training (across resumes)
  bool best = false;     // this epoch's model is the best so far
};

struct TrainCallbacks {
  // After each epoch, before its checkpoint is saved: a log written here
  // durably never has fewer epochs than the checkpoint a run resumes from.
  std::function<void(const EpochStats&)> on_epoch;
  // Within an epoch: batches done, batches in the epoch, running mean loss.
  std::function<void(int, int, double)> on_batch;
  // Polled between batches; true stops after saving a checkpoint.
  std::function<bool()> stop_requested;
};

struct TrainResult {
  int epochs_done = 0;
  bool interrupted = false;
  bool early_stopped = false;
  double best_valid_acc = 0;  // CTC: 1 - WER
  int best_epoch = 0;
  // average_last: the epochs averaged into the final model (0: none) and its
  // validation score (CTC: 1 - WER), when there is validation data.
  int averaged_epochs = 0;
  bool averaged_has_valid = false;
  double averaged_valid_acc = 0;
};

class Trainer {
 public:
  // labels: the model's output labels (classify: classes; CTC: blank first).
  // The architecture outputs labels.size() values per frame, plus 3 with
  // options.boundary_head (BoundaryOutputs()).
  Trainer(const TrainOptions& options, pipeline::FeaturePipelineOptions features, const std::string& architecture,
          std::vector<std::string> labels, const AudioSet& train, const AudioSet* valid);
  ~Trainer();

  // Continues from a checkpoint written by this trainer with the same data,
  // architecture and options; throws auris::Error naming what differs.
  void Resume(const std::string& checkpoint_path);

  // Trains to options.epochs (or early stop / stop request). Writes the best
  // model to model_path, a checkpoint to checkpoint_path after every epoch.
  TrainResult Run(const std::string& model_path, const std::string& checkpoint_path,
                  const TrainCallbacks& callbacks = {});

  const nn::Model& Model() const;
  const pipeline::FeaturePipelineOptions& Features() const;
  // The model's features of one example: with augment, as trained, with the
  // augmentation drawn for (epoch, example); without, as validated and served
  // (a CTC input then ends in the Recognizer's silence, CtcTailSilenceMs).
  Matrix ExampleFeatures(const std::vector<float>& audio, bool augment, int epoch, std::size_t example) const;

 private:
  // The validation set's loss, accuracy and (CTC) WER under `model`, and the
  // score the best epoch is chosen by; EpochStats::has_valid false without it.
  double Validate(const nn::Model& model, EpochStats* stats);
  // ExampleFeatures, and with the boundary head the per-frame classes of
  // `words` moved as the augmentation moved the audio.
  Matrix Features(const std::vector<float>& audio, std::span<const WordSpan> words, bool augment, int epoch,
                  std::size_t example, std::vector<int>* boundaries) const;

  struct State;
  std::unique_ptr<State> s_;
};

// Output width of the boundary head (0 without it).
int BoundaryOutputs(const TrainOptions& options);

// Global CMVN statistics (Kaldi 2 x (dim+1)) of the raw features of `set`.
MatrixD ComputeGlobalStats(const AudioSet& set, const pipeline::FeaturePipelineOptions& features, int num_threads);

}  // namespace auris::train
