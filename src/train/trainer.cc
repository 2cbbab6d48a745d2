#include "auris/train/trainer.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <sstream>

#include "auris/core/check.h"
#include "auris/core/error.h"
#include "auris/core/rng.h"
#include "auris/core/thread_pool.h"
#include "auris/dsp/cmvn.h"
#include "auris/dsp/feature_extractor.h"
#include "auris/dsp/feature_window.h"
#include "auris/decode/ctc_greedy.h"
#include "auris/decode/word_segmentation.h"
#include "auris/decode/edit_distance.h"
#include "auris/nn/cross_entropy.h"
#include "auris/nn/ctc_loss.h"
#include "auris/nn/grad_clip.h"
#include "auris/nn/lr_schedule.h"
#include "auris/nn/optimizer.h"
#include "auris/nn/parallel_gradient.h"
#include "auris/pipeline/feature_config.h"
#include "auris/pipeline/recognizer.h"
#include "auris/pipeline/vtln_search.h"
#include "auris/train/batching.h"
#include "auris/train/boundary_targets.h"
#include "auris/train/checkpoint.h"
#include "auris/train/noise.h"

namespace auris::train {

void TrainOptions::Validate() const {
  if (epochs < 1) throw MakeError("--epochs must be >= 1 (got ", epochs, ")");
  if (batch_size < 1) throw MakeError("--batch-size must be >= 1 (got ", batch_size, ")");
  if (!(lr > 0)) throw MakeError("--lr must be > 0 (got ", lr, ")");
  if (!(min_lr_ratio >= 0 && min_lr_ratio <= 1)) throw MakeError("min_lr_ratio must be in [0, 1]");
  if (!(weight_decay >= 0)) throw MakeError("--weight-decay must be >= 0");
  if (warmup_steps < 0) throw MakeError("--warmup-steps must be >= 0");
  if (!(clip_norm > 0)) throw MakeError("--clip-norm must be > 0");
  if (!(label_smoothing >= 0 && label_smoothing < 1)) throw MakeError("--label-smoothing must be in [0, 1)");
  if (num_threads < 0) throw MakeError("--num-threads must be >= 0 (0: all cores), got ", num_threads);
  if (num_shards < 1) throw MakeError("--gradient-shards must be >= 1, got ", num_shards);
  if (patience < 0) throw MakeError("--patience must be >= 0");
  if (average_last < 0 || average_last > epochs)
    throw MakeError("--average-last must be in 0..--epochs (", epochs, "), got ", average_last);
  if (average_last > 0 && patience > 0)
    throw Error("--average-last averages the last epochs of a full run: it cannot be combined with --patience");
  if (boundary_head && task != Task::kCtc) throw MakeError("the boundary head is for CTC models only");
  if (!(boundary_weight > 0)) throw MakeError("--boundary-weight must be > 0");
  if (!(onset_ms > 0)) throw MakeError("--onset-ms must be > 0");
  augment.Validate();
}

std::string TrainOptions::ToString() const {
  std::ostringstream os;
  os << "task=" << (task == Task::kCtc ? std::string("ctc units=") + UnitsName(units) : "classify") << " epochs=" << epochs << " batch_size=" << batch_size
     << " lr=" << lr << " min_lr_ratio=" << min_lr_ratio << " weight_decay=" << weight_decay
     << " warmup_steps=" << warmup_steps << " clip_norm=" << clip_norm << " label_smoothing=" << label_smoothing
     << " seed=" << seed << " shards=" << num_shards << " patience=" << patience;
  if (average_last > 0) os << " average_last=" << average_last;
  if (boundary_head) os << " boundary_head weight=" << boundary_weight << " onset_ms=" << onset_ms;
  os << " augment: " << augment.ToString();
  return os.str();
}

int BoundaryOutputs(const TrainOptions& options) { return options.boundary_head ? decode::kNumBoundaryClasses : 0; }

namespace {

Matrix RawFeatures(const dsp::FeatureOptions& opts, const std::vector<float>& audio) {
  return dsp::ComputeFeatures(opts, audio.data(), static_cast<std::int64_t>(audio.size()));
}

int Argmax(const auto& row) {
  Eigen::Index i = 0;
  row.maxCoeff(&i);
  return static_cast<int>(i);
}

double Seconds(std::chrono::steady_clock::time_point since) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - since).count();
}

// Sum of the per-sequence losses of `out` and d(sum)/d(out) (skipped when
// grad_out is not wanted: batch 1 validation passes a throwaway); correct[b]
// = 1 when sequence b is right (class, or whole CTC label sequence).
nn::LossSum LossOf(const TrainOptions& o, const nn::SeqBatch& out, const std::vector<std::vector<int>>& targets,
                   const std::vector<std::vector<int>>& frame_classes, nn::SeqBatch& grad_out, int* correct) {
  if (o.task == Task::kClassify) {
    std::vector<int> t(targets.size());
    for (std::size_t b = 0; b < t.size(); ++b) t[b] = targets[b][0];
    nn::SeqLossResult r = nn::CrossEntropy(out, t, {.label_smoothing = o.label_smoothing, .mean_over = 1});
    for (int b = 0; b < out.batch; ++b) correct[b] = Argmax(out.Frame(0, b)) == t[b];
    grad_out = std::move(r.grad);
    return {r.loss, static_cast<double>(out.batch)};
  }
  const int labels = out.Dim() - BoundaryOutputs(o);
  nn::SeqBatch ctc_out;
  if (o.boundary_head) ctc_out = {out.data.leftCols(labels), out.steps, out.batch, out.lengths};
  const nn::SeqBatch& ctc_in = o.boundary_head ? ctc_out : out;
  nn::CtcResult r = nn::CtcLoss(ctc_in, targets, {.reduction = nn::CtcOptions::Reduction::kSum, .zero_infinity = true});
  for (int b = 0; b < out.batch; ++b) {
    Matrix frames(out.lengths[b], labels);
    for (int t = 0; t < out.lengths[b]; ++t) frames.row(t) = ctc_in.Frame(t, b);
    correct[b] = decode::CtcGreedyDecode(frames).labels == targets[b];
  }
  if (!o.boundary_head) {
    grad_out = std::move(r.grad);
    return {r.loss, static_cast<double>(out.batch)};
  }
  grad_out = nn::SeqBatch::ZerosLike(out, out.Dim());
  grad_out.data.leftCols(labels) = r.grad.data;
  const double boundary = BoundaryCrossEntropy(out, frame_classes, o.boundary_weight, grad_out);
  return {r.loss + boundary, static_cast<double>(out.batch)};
}

}  // namespace

MatrixD ComputeGlobalStats(const AudioSet& set, const pipeline::FeaturePipelineOptions& features, int num_threads) {
  const int dim = features.features.Dim();
  std::vector<MatrixD> stats(set.size());
  ThreadPool pool(num_threads);
  pool.ParallelFor(set.size(), [&](std::size_t i, int) {
    const Matrix f = RawFeatures(features.features, set.audio[i]);
    stats[i] = dsp::InitCmvnStats(dim);
    for (Eigen::Index t = 0; t < f.rows(); ++t)
      dsp::AccCmvnStats({f.row(t).data(), static_cast<std::size_t>(dim)}, 1.0f, &stats[i]);
  });
  MatrixD total = dsp::InitCmvnStats(dim);
  for (const MatrixD& s : stats) total += s;  // in example order: deterministic
  return total;
}

struct Trainer::State {
  TrainOptions opt;
  pipeline::FeaturePipelineOptions features;
  std::vector<std::string> labels;
  const AudioSet& train;
  const AudioSet* valid;
  std::unique_ptr<nn::Model> model;
  std::unique_ptr<nn::Adam> adam;
  nn::LrSchedule schedule;
  ThreadPool pool;
  std::vector<std::vector<int>> train_targets, valid_targets;  // classify: one label each
  std::vector<std::size_t> lengths;
  std::vector<Matrix> valid_features;  // fixed: computed once
  std::vector<std::vector<int>> valid_boundaries;  // boundary head: per-frame classes (empty: unknown)
  std::vector<NamedTensor> best_params;
  std::vector<NamedTensor> avg_params;  // average_last: running mean of the weights
  std::unique_ptr<NoiseBank> noise;  // augmentation noise files, at the model rate
  CheckpointState ck;  // progress counters, saved in checkpoints
  pipeline::FeaturePipelineOptions served;  // as a Recognizer of the model serves them (CTC: with its tail)

  State(const TrainOptions& o, pipeline::FeaturePipelineOptions f, std::vector<std::string> l, const AudioSet& t,
        const AudioSet* v)
      : opt(o), features(std::move(f)), labels(std::move(l)), train(t), valid(v), pool(o.num_threads) {}
};

Trainer::Trainer(const TrainOptions& options, pipeline::FeaturePipelineOptions features,
                 const std::string& architecture, std::vector<std::string> labels, const AudioSet& train,
                 const AudioSet* valid)
    : s_(std::make_unique<State>(options, std::move(features), std::move(labels), train, valid)) {
  options.Validate();
  ValidateVtlp(options.augment, s_->features.features);
  if (!options.vtln_search.empty() && options.task != Task::kClassify)
    throw Error("--vtln-search is for classifiers (--task classify)");
  for (double w : options.vtln_search) {
    try {
      pipeline::WithWarp(s_->features, w);
    } catch (const Error& e) {
      throw MakeError("--vtln-search: warp ", w, " does not fit the feature options: ", e.what());
    }
  }
  s_->served = s_->features;
  if (options.task == Task::kCtc) s_->served.tail_silence_ms = pipeline::CtcTailSilenceMs(s_->served);
  if (!options.augment.noise_files.empty())
    s_->noise = std::make_unique<NoiseBank>(options.augment.noise_files, train.sample_rate_hz);
  if (train.size() == 0) throw MakeError("no usable training examples");
  s_->model = std::make_unique<nn::Model>(architecture, options.seed);
  const int outputs = static_cast<int>(s_->labels.size()) + BoundaryOutputs(options);
  if (s_->model->OutputDim() != outputs)
    throw MakeError("the architecture has ", s_->model->OutputDim(), " outputs for ", s_->labels.size(), " labels",
                    options.boundary_head ? " and the 3 boundary classes" : "");
  // Examples without word times (real recordings of whole strings) train
  // the CTC output only; the boundary head learns from the others.
  if (options.boundary_head && std::none_of(train.examples.begin(), train.examples.end(),
                                            [](const Example& e) { return !e.words.empty(); }))
    throw MakeError("the boundary head needs word times (words.ctm) for some training examples");
  if (options.task == Task::kClassify && !s_->model->IsPooled())
    throw MakeError("a classifier needs an attention_pool layer in its architecture");
  if (options.task == Task::kCtc && s_->model->IsPooled())
    throw MakeError("a CTC model must output one vector per frame: no attention_pool in its architecture");
  auto targets_of = [&](const Example& e) {
    const std::vector<std::string> units =
        options.task == Task::kCtc ? SplitUnits(e.label, options.units) : std::vector<std::string>{e.label};
    if (units.empty()) throw MakeError(e.source.uttid, ": empty transcript");
    std::vector<int> ids;
    for (const std::string& u : units) {
      const auto it = std::find(s_->labels.begin(), s_->labels.end(), u);
      if (it == s_->labels.end() || (options.task == Task::kCtc && it == s_->labels.begin()))
        throw MakeError(e.source.uttid, ": '", u, "' is not one of the model's labels");
      ids.push_back(static_cast<int>(it - s_->labels.begin()));
    }
    return ids;
  };
  for (const Example& e : train.examples) s_->train_targets.push_back(targets_of(e));
  for (const auto& a : train.audio) s_->lengths.push_back(a.size());
  if (valid != nullptr) {
    for (const Example& e : valid->examples) s_->valid_targets.push_back(targets_of(e));
    s_->valid_features.resize(valid->size());
    s_->valid_boundaries.resize(valid->size());
    s_->pool.ParallelFor(valid->size(), [&](std::size_t i, int) {
      s_->valid_features[i] = Features(valid->audio[i], valid->examples[i].words, false, 0, i, &s_->valid_boundaries[i]);
    });
  }
  s_->adam = std::make_unique<nn::Adam>(s_->model->Params(), nn::AdamOptions::AdamW(options.lr, options.weight_decay));
  const int batches = static_cast<int>(EpochBatches(s_->lengths, options.batch_size, options.seed, 0).size());
  s_->schedule.base_lr = options.lr;
  s_->schedule.warmup_steps = options.warmup_steps;
  s_->schedule.decay = nn::LrSchedule::Decay::kCosine;
  s_->schedule.total_steps = std::max(options.epochs * batches, options.warmup_steps + 1);
  s_->schedule.min_lr = options.lr * options.min_lr_ratio;
  s_->schedule.Validate();
}

Trainer::~Trainer() = default;

const nn::Model& Trainer::Model() const { return *s_->model; }
const pipeline::FeaturePipelineOptions& Trainer::Features() const { return s_->features; }

Matrix Trainer::ExampleFeatures(const std::vector<float>& audio, bool augment, int epoch, std::size_t example) const {
  return Features(audio, {}, augment, epoch, example, nullptr);
}

Matrix Trainer::Features(const std::vector<float>& audio, std::span<const WordSpan> words, bool augment, int epoch,
                         std::size_t example, std::vector<int>* boundaries) const {
  const pipeline::FeaturePipelineOptions& fo = s_->features;
  const double rate = s_->train.sample_rate_hz;
  AugmentDraws d;  // identity unless augmenting
  Matrix f;
  Rng rng(MixSeed(s_->opt.seed, static_cast<std::uint64_t>(epoch) + 1, example));
  if (augment) {
    d = DrawAugmentation(s_->opt.augment, rate, s_->noise.get(), rng);
    const std::vector<float> wave = AugmentWaveform(audio, rate, d, s_->noise.get());
    f = RawFeatures(d.vtln_warp != 1 ? pipeline::WithWarp(fo.features, d.vtln_warp) : fo.features, wave);
  }
  if (f.rows() == 0) {  // not augmenting, or augmentation made it too short: use the audio as it is
    d = AugmentDraws{};
    if (dsp::NumFrames(static_cast<std::int64_t>(audio.size()), fo.features.Frame()) == 0)
      throw MakeError("audio shorter than one frame");
    // Validation (not augmented) sees what inference sees, the served tail included.
    f = augment ? RawFeatures(fo.features, audio)
                : RawFeatures(fo.features, pipeline::WithTailSilence(audio, s_->served));
  }
  f = pipeline::PostProcess(std::move(f), fo);
  if (augment) SpecAugment(f, s_->opt.augment, rng);
  if (boundaries != nullptr && s_->opt.boundary_head && !words.empty()) {
    std::vector<WordSpan> moved(words.begin(), words.end());
    for (WordSpan& w : moved) w.start_s = AugmentedTime(d, w.start_s, rate), w.end_s = AugmentedTime(d, w.end_s, rate);
    *boundaries = BoundaryTargets(moved, s_->model->OutputFrames(static_cast<int>(f.rows())),
                                  dsp::StackedFraming(fo.features.Frame(), s_->model->Stack()), s_->opt.onset_ms);
  }
  return f;
}

void Trainer::Resume(const std::string& path) {
  LoadCheckpoint(path, CheckpointIdentity{s_->model->Architecture(), s_->labels, s_->opt.ToString()},
                 s_->model->Params(), *s_->adam, &s_->best_params, &s_->avg_params, &s_->ck);
}

namespace {

// avg += (x - avg) / n: the running mean after its n-th member x.
void AddToMean(std::vector<NamedTensor>& avg, const std::vector<NamedTensor>& x, int n) {
  if (n == 1) {
    avg = x;
    return;
  }
  AURIS_CHECK(avg.size() == x.size());
  for (std::size_t i = 0; i < x.size(); ++i)
    for (std::size_t j = 0; j < x[i].data.size(); ++j)
      avg[i].data[j] += (x[i].data[j] - avg[i].data[j]) / static_cast<float>(n);
}

}  // namespace

double Trainer::Validate(const nn::Model& model, EpochStats* st) {
  State& s = *s_;
  if (s.valid == nullptr || s.valid->size() == 0) return st->train_acc;
  std::vector<double> losses(s.valid->size());
  std::vector<int> ok(s.valid->size()), errors(s.valid->size()), words(s.valid->size());
  s.pool.ParallelFor(s.valid->size(), [&](std::size_t i, int) {
    nn::RunContext c;
    const nn::SeqBatch out = model.Forward(nn::SeqBatch::FromSequences({s.valid_features[i]}), c);
    nn::SeqBatch unused;
    int right = 0;
    losses[i] = LossOf(s.opt, out, {s.valid_targets[i]}, {s.valid_boundaries[i]}, unused, &right).sum;
    ok[i] = right;
    if (s.opt.task == Task::kCtc) {
      const std::vector<int> hyp =
          decode::CtcGreedyDecode(out.data.topLeftCorner(out.lengths[0], s.labels.size())).labels;
      const decode::EditAlignment a = AlignWords(s.valid_targets[i], hyp, s.labels, s.opt.units);
      errors[i] = a.Errors();
      words[i] = a.ref_length;
    }
  });
  st->has_valid = true;
  st->valid_loss = 0;
  for (std::size_t i = 0; i < losses.size(); ++i) st->valid_loss += losses[i];
  st->valid_loss /= static_cast<double>(losses.size());
  st->valid_acc = std::count(ok.begin(), ok.end(), 1) / static_cast<double>(ok.size());
  if (s.opt.task != Task::kCtc) return st->valid_acc - 1e-6 * st->valid_loss;  // ties: lower loss wins
  double e = 0, n = 0;
  for (std::size_t i = 0; i < errors.size(); ++i) e += errors[i], n += words[i];
  st->valid_wer = e / std::max(1.0, n);
  return 1 - st->valid_wer - 1e-6 * st->valid_loss;
}

TrainResult Trainer::Run(const std::string& model_path, const std::string& checkpoint_path,
                         const TrainCallbacks& cb) {
  State& s = *s_;
  nn::Model& model = *s.model;
  nn::ParallelGradient pg(model, {.num_threads = s.opt.num_threads, .num_shards = s.opt.num_shards});
  nn::Grads grads(model.Params());
  const CheckpointIdentity identity{model.Architecture(), s.labels, s.opt.ToString()};
  modelfile::ModelInfo info;
  info.labels = s.labels;
  info.features_json = pipeline::FeatureConfigToJson(s.features);
  info.extra["task"] = s.opt.task == Task::kCtc ? "ctc" : "classify";
  info.extra["training"] = s.opt.ToString();
  if (s.opt.task == Task::kCtc) info.extra["units"] = UnitsName(s.opt.units);
  if (s.opt.boundary_head) info.extra["boundary_head"] = "outside onset inside";
  if (!s.opt.vtln_search.empty()) info.extra["vtln_search"] = pipeline::FormatVtlnSearch(s.opt.vtln_search);
  auto save_checkpoint = [&] {
    SaveCheckpoint(checkpoint_path, identity, model.Params(), *s.adam, s.best_params, s.avg_params, s.ck);
  };
  TrainResult result;
  const auto start = std::chrono::steady_clock::now();
  const double elapsed_before = s.ck.elapsed_s;

  for (; s.ck.epoch < s.opt.epochs; ++s.ck.epoch) {
    const auto batches = EpochBatches(s.lengths, s.opt.batch_size, s.opt.seed, s.ck.epoch);
    const auto epoch_start = std::chrono::steady_clock::now();
    double epoch_frames = 0;
    for (; s.ck.batch < static_cast<int>(batches.size()); ++s.ck.batch) {
      if (cb.stop_requested && cb.stop_requested()) {
        s.ck.elapsed_s = elapsed_before + Seconds(start);
        save_checkpoint();
        result.interrupted = true;
        result.epochs_done = s.ck.epoch;
        return result;
      }
      const std::vector<int>& ids = batches[s.ck.batch];
      std::vector<Matrix> feats(ids.size());
      std::vector<std::vector<int>> boundaries(ids.size());
      s.pool.ParallelFor(ids.size(), [&](std::size_t j, int) {
        feats[j] = Features(s.train.audio[ids[j]], s.train.examples[ids[j]].words, true, s.ck.epoch,
                            static_cast<std::size_t>(ids[j]), &boundaries[j]);
      });
      nn::SeqBatch batch = nn::SeqBatch::FromSequences(feats);
      epoch_frames += batch.NumValidFrames();
      std::vector<std::vector<int>> targets(ids.size());
      std::vector<int> correct(ids.size(), 0);
      for (std::size_t j = 0; j < ids.size(); ++j) targets[j] = s.train_targets[ids[j]];
      const nn::ShardLoss loss = [&](const nn::SeqBatch& out, int first, nn::SeqBatch& grad_out) {
        const std::vector<std::vector<int>> t(targets.begin() + first, targets.begin() + first + out.batch);
        const std::vector<std::vector<int>> f(boundaries.begin() + first, boundaries.begin() + first + out.batch);
        return LossOf(s.opt, out, t, f, grad_out, correct.data() + first);
      };
      const long step = static_cast<long>(s.adam->StepCount());
      const double l = pg.Compute(batch, loss, true, MixSeed(s.opt.seed, 0xd0, static_cast<std::uint64_t>(step)), grads);
      nn::ClipGradNorm(grads, s.opt.clip_norm);
      s.adam->Step(model.Params(), grads, s.schedule.LrAt(step));
      s.ck.loss_sum += l * static_cast<double>(ids.size());
      s.ck.correct += std::count(correct.begin(), correct.end(), 1);
      s.ck.seen += static_cast<double>(ids.size());
      if (cb.on_batch) cb.on_batch(s.ck.batch + 1, static_cast<int>(batches.size()), s.ck.loss_sum / s.ck.seen);
    }

    EpochStats st;
    st.epoch = s.ck.epoch + 1;
    st.train_loss = s.ck.loss_sum / std::max(1.0, s.ck.seen);
    st.train_acc = s.ck.correct / std::max(1.0, s.ck.seen);
    st.lr = s.schedule.LrAt(static_cast<long>(s.adam->StepCount()) - 1);
    st.frames_per_s = epoch_frames / std::max(1e-9, Seconds(epoch_start));
    const double score = Validate(model, &st);
    // Without validation data the latest model is kept (training accuracy under
    // augmentation says little about which epoch generalises best).
    st.best = !st.has_valid || s.ck.best_epoch == 0 || score > s.ck.best_score;
    if (st.best) {
      s.ck.best_score = score;
      s.ck.best_acc = !st.has_valid ? st.train_acc : s.opt.task == Task::kCtc ? 1 - st.valid_wer : st.valid_acc;
      s.ck.best_epoch = st.epoch;
      s.ck.since_best = 0;
      s.best_params = model.ExportParams();
      modelfile::SaveModel(model_path, model, info);
    } else {
      ++s.ck.since_best;
    }
    if (s.opt.average_last > 0 && st.epoch > s.opt.epochs - s.opt.average_last)
      AddToMean(s.avg_params, model.ExportParams(), ++s.ck.averaged);
    s.ck.elapsed_s = elapsed_before + Seconds(start);
    st.elapsed_s = s.ck.elapsed_s;
    s.ck.batch = 0;
    s.ck.loss_sum = s.ck.correct = s.ck.seen = 0;
    const bool stop_early = s.opt.patience > 0 && s.ck.since_best >= s.opt.patience;
    if (cb.on_epoch) cb.on_epoch(st);
    ++s.ck.epoch;
    save_checkpoint();
    --s.ck.epoch;
    if (stop_early) {
      result.early_stopped = true;
      ++s.ck.epoch;
      break;
    }
  }
  result.epochs_done = s.ck.epoch;
  result.best_epoch = s.ck.best_epoch;
  result.best_valid_acc = s.ck.best_acc;
  if (s.ck.averaged > 0 && s.ck.epoch == s.opt.epochs) {
    // Training is over: the model takes the averaged weights for good.
    model.ImportParams(s.avg_params);
    modelfile::SaveModel(model_path, model, info);
    EpochStats avg;
    Validate(model, &avg);
    result.averaged_epochs = s.ck.averaged;
    result.averaged_has_valid = avg.has_valid;
    result.averaged_valid_acc = s.opt.task == Task::kCtc ? 1 - avg.valid_wer : avg.valid_acc;
  }
  return result;
}

}  // namespace auris::train
