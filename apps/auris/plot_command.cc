// auris plot: PNG figures of features, a model's attention over an
// utterance, an evaluation's confusion matrix and training curves.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "auris/core/atomic_file.h"
#include "auris/core/error.h"
#include "auris/io/inputs.h"
#include "auris/nn/attention_pooling.h"
#include "auris/nn/ensemble.h"
#include "auris/pipeline/recognizer.h"
#include "auris/plot/figure.h"
#include "commands.h"
#include "feature_flags.h"
#include "plot_reports.h"

namespace auris::cli {
namespace {

struct PlotArgs {
  std::string input;   // audio, eval JSON or training log
  std::string output;  // PNG
  std::string model;
  std::string title;
  int width = 0, height = 0;
  FeatureFlags flags;
};

void AddOutputOptions(CLI::App& cmd, PlotArgs& a) {
  cmd.add_option("-o,--output", a.output, "PNG file to write")->required();
  cmd.add_option("--title", a.title, "Figure title (default: from the input)");
  cmd.add_option("--width", a.width, "Width in pixels (0: automatic)")->default_val(0)->check(CLI::Range(0, 16384));
  cmd.add_option("--height", a.height, "Height in pixels (0: automatic)")->default_val(0)->check(CLI::Range(0, 16384));
}

plot::FigureOptions Options(const PlotArgs& a) {
  plot::FigureOptions o;
  o.title = a.title;
  o.width_px = a.width;
  o.height_px = a.height;
  return o;
}

int Write(const plot::Figure& fig, const std::string& path) {
  const plot::RenderedFigure r = fig.Render();
  WriteFileAtomically(path, r.png);
  std::fprintf(stderr, "auris plot: wrote %s (%d x %d px)\n", path.c_str(), r.width, r.height);
  return 0;
}

io::InputItem OneInput(const std::string& spec) {
  std::vector<io::InputItem> items = io::ExpandInputs(spec);
  if (items.size() != 1)
    throw MakeError(spec, ": ", items.size(), " utterances; auris plot draws one (give a single file)");
  return items[0];
}

// Colour range: log energies get an 80 dB window below their maximum (so
// the floor of silent frames does not swallow the scale); anything else the
// 1st..99th percentile, so a few extreme values (e.g. C0) keep the contrast.
void SetColourRange(const pipeline::FeaturePipelineOptions& o, plot::Heatmap& h) {
  std::vector<float> v;
  v.reserve(static_cast<std::size_t>(h.values.size()));
  for (Eigen::Index k = 0; k < h.values.size(); ++k)
    if (std::isfinite(h.values.data()[k])) v.push_back(h.values.data()[k]);
  if (v.empty()) return;
  std::sort(v.begin(), v.end());
  const auto& f = o.features;
  const bool log_energy = (f.type == "spectrogram" || (f.type == "fbank" && f.fbank.use_log_fbank)) &&
                          !o.add_deltas && o.cmvn == pipeline::CmvnMode::kNone;
  if (log_energy) {
    const double floor = v.back() - 8 * std::log(10.0);  // 80 dB of power in natural log
    h.v_min = std::max<double>(v.front(), floor);
    h.v_max = v.back();
  } else {
    h.v_min = v[static_cast<std::size_t>(0.01 * (v.size() - 1))];
    h.v_max = v[static_cast<std::size_t>(0.99 * (v.size() - 1))];
  }
}

// Features (frames x dim) as a heatmap over time, y axis as the type implies.
plot::Heatmap FeatureHeatmap(const Matrix& feats, const pipeline::FeaturePipelineOptions& o) {
  const auto& f = o.features;
  const auto& frame = f.Frame();
  plot::Heatmap h;
  h.values = feats.transpose();
  h.dx = frame.frame_shift_ms / 1000.0;
  h.x_label = "time (s)";
  const bool plain = !o.add_deltas;
  if (f.type == "spectrogram" && plain) {
    h.dy = frame.sample_frequency_hz / frame.PaddedWindowSize() / 1000.0;
    h.y0 = -h.dy / 2;  // bin k centred on k * rate / fft_size
    h.y_label = "frequency (kHz)";
  } else {
    h.y0 = -0.5;  // dimension i centred on i
    h.y_label = !plain ? "feature dimension (with deltas)" : f.type == "fbank" ? "mel filter" : "cepstral coefficient";
  }
  const bool normalised = o.cmvn != pipeline::CmvnMode::kNone;
  h.value_label = normalised                                   ? "normalised value"
                  : f.type == "spectrogram"                    ? "log power"
                  : f.type == "fbank" && f.fbank.use_log_fbank ? "log mel energy"
                  : f.type == "fbank"                          ? "mel energy"
                  : f.type == "plp"                            ? "PLP value"
                                                               : "MFCC value";
  SetColourRange(o, h);
  return h;
}

int PlotFeatures(const PlotArgs& a) {
  const pipeline::FeaturePipelineOptions options = a.flags.Resolve();
  const io::InputItem item = OneInput(a.input);
  const pipeline::UtteranceFeatures u = pipeline::ExtractUtterance(item, options);
  if (!u.warning.empty()) std::fprintf(stderr, "auris plot: warning: %s\n", u.warning.c_str());
  plot::FigureOptions fo = Options(a);
  if (fo.title.empty())
    fo.title = item.uttid + ": " + options.features.type + " (" + std::to_string(u.features.rows()) +
               " frames \u00d7 " + std::to_string(u.features.cols()) + " dimensions)";
  plot::Figure fig(fo);
  fig.Add(FeatureHeatmap(u.features, options));
  return Write(fig, a.output);
}

struct PoolingWeights {
  std::string name;  // "member K" inside an ensemble
  Matrix weights;    // frames x queries
};

// The attention-pooling weights of a classifier's one utterance: its
// top-level pooling layer's, or each ensemble member's.
std::vector<PoolingWeights> AttentionPoolingWeights(const nn::Model& model, const nn::LayerCache& cache) {
  std::vector<PoolingWeights> out;
  const auto from = [&](const nn::Sequential& layers, const nn::LayerCache& c, const std::string& name) {
    const auto& caches = static_cast<const nn::SequentialCache&>(c).caches;
    for (int i = 0; i < layers.NumLayers(); ++i)
      if (layers.At(i).Kind() == "attention_pooling")
        out.push_back({name, static_cast<const nn::AttentionPooling&>(layers.At(i)).AttentionWeights(*caches[i]).at(0)});
  };
  from(model.Layers(), model.LayersCache(cache), "");
  for (int i = 0; i < model.Layers().NumLayers(); ++i)
    if (model.Layers().At(i).Kind() == "ensemble") {
      const auto& e = static_cast<const nn::Ensemble&>(model.Layers().At(i));
      const auto& ec = static_cast<const nn::EnsembleCache&>(model.LayerCacheOf(cache, i));
      for (int k = 0; k < e.NumMembers(); ++k)
        from(e.Member(k), *ec.members[k], "member " + std::to_string(k + 1));
    }
  return out;
}

int PlotAttention(const PlotArgs& a) {
  const pipeline::Recognizer rec = pipeline::Recognizer::Load(a.model);
  const nn::Model& model = rec.Model();
  if (rec.Task() != pipeline::ModelTask::kClassify)
    throw MakeError(a.model, ": a CTC model; plot attention needs an attention-pooling classifier");
  const io::InputItem item = OneInput(a.input);
  // The features the answer came from: with a VTLN search, the chosen warp's.
  const pipeline::InputClassification classified = rec.ClassifyInput(item);
  const pipeline::UtteranceFeatures& u = classified.features;
  if (!u.warning.empty()) std::fprintf(stderr, "auris plot: warning: %s\n", u.warning.c_str());

  nn::RunContext ctx;
  std::unique_ptr<nn::LayerCache> cache;
  model.Forward(nn::SeqBatch::FromSequences({u.features}), ctx, &cache);
  const std::vector<PoolingWeights> pools = AttentionPoolingWeights(model, *cache);
  if (pools.empty())
    throw MakeError(a.model, ": no attention_pool layer (at the top level or in an ensemble's members); plot "
                             "attention needs an attention-pooling classifier");

  plot::Heatmap h = FeatureHeatmap(u.features, rec.Features());
  plot::LinePlot lines;
  for (const PoolingWeights& p : pools) {
    for (Eigen::Index q = 0; q < p.weights.cols(); ++q) {
      plot::Series s;  // one series: the y label says what it is
      if (p.weights.cols() > 1) s.name = "query " + std::to_string(q + 1);
      if (pools.size() > 1) s.name = p.name + (s.name.empty() ? "" : ", " + s.name);
      const double n = model.Stack();  // input frames per weight
      for (Eigen::Index t = 0; t < p.weights.rows(); ++t) {
        s.x.push_back(h.x0 + (t + 0.5) * n * h.dx);  // the frame (group) centre on the heatmap's time axis
        s.y.push_back(p.weights(t, q));
      }
      lines.series.push_back(std::move(s));
    }
  }
  lines.x_label = "time (s)";
  lines.y_label = "attention weight";
  lines.y_min = 0;

  const pipeline::Classification& c = classified.result;
  plot::FigureOptions fo = Options(a);
  if (fo.title.empty()) {
    char p[64];
    std::snprintf(p, sizeof p, "%.3f", c.probs[c.best]);
    fo.title = item.uttid + ": predicted \"" + rec.Labels()[c.best] + "\" (p = " + p + ")";
    if (classified.warp != 1) {
      std::snprintf(p, sizeof p, ", VTLN warp %g", classified.warp);
      fo.title += p;
    }
  }
  plot::Figure fig(fo);
  fig.Add(std::move(h));
  fig.Add(std::move(lines));
  return Write(fig, a.output);
}

}  // namespace

void RegisterPlot(CLI::App& app, Registry& registry) {
  CLI::App* plot = app.add_subcommand(
      "plot",
      "Draw PNG figures.\n"
      "  auris plot features [feature options] AUDIO -o features.png\n"
      "  auris plot attention --model MODEL AUDIO -o attention.png\n"
      "  auris plot confusion EVAL.json -o confusion.png     (auris eval --json output; - = stdin)\n"
      "  auris plot curves TRAIN_LOG.jsonl -o curves.png     (the training log next to a model)");
  plot->require_subcommand(1);

  auto add = [&](const std::string& name, const std::string& help, const std::string& input_help,
                 int (*run)(const PlotArgs&)) {
    auto args = std::make_shared<PlotArgs>();
    CLI::App* cmd = plot->add_subcommand(name, help);
    cmd->add_option("input", args->input, input_help)->required();
    AddOutputOptions(*cmd, *args);
    cmd->callback([args, run, &registry] { registry.Set([args, run] { return run(*args); }); });
    return std::make_pair(cmd, args);
  };

  auto [features, fargs] = add("features", "Spectrogram / fbank / MFCC / PLP of an audio file over time (--type ...)",
                               "Audio file (any rate; Kaldi feature options apply)", PlotFeatures);
  fargs->flags.Register(*features);

  auto [attention, aargs] =
      add("attention", "A classifier's features of an audio file with its attention weights over time underneath",
          "Audio file (features as the model was trained)", PlotAttention);
  attention->add_option("-m,--model", aargs->model, "Model file (.safetensors) with an attention_pool layer")
      ->required();

  add("confusion", "Confusion matrix from `auris eval --json` output", "Eval JSON file (- = stdin)",
      [](const PlotArgs& a) { return Write(ConfusionFigure(a.input, Options(a)), a.output); });
  add("curves", "Training curves (loss, accuracy / WER, learning rate, ...) from a training log",
      "Training log: JSON lines, one object per epoch (- = stdin)",
      [](const PlotArgs& a) { return Write(CurvesFigure(a.input, Options(a)), a.output); });
}

AURIS_COMMAND(60, RegisterPlot);

}  // namespace auris::cli
