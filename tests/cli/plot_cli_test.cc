// End-to-end tests of `auris plot`: the PNGs are decoded and checked where
// the data must show — the tone's frequency row, the attention peak at the
// frames an attention query must pick, confusion cells per class coloured by
// row fraction, falling losses and rising accuracies — and bad inputs fail
// with a message naming the file.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <numbers>
#include <random>

#include "auris/audio/write.h"
#include "auris/io/inputs.h"
#include "auris/modelfile/model_file.h"
#include "auris/pipeline/feature_config.h"
#include "auris/pipeline/feature_pipeline.h"
#include "auris/plot/colormap.h"
#include "auris/plot/image.h"
#include "cli_support.h"

using namespace auris;
using namespace auris::test;

namespace {

const plot::Rgb kFrame{0x40, 0x40, 0x40};  // the axes frame colour

plot::Image Png(const std::string& path) { return plot::DecodePng(ReadFile(path), path); }

bool Close(plot::Rgb a, plot::Rgb b, int tol) {
  return std::abs(a.r - b.r) <= tol && std::abs(a.g - b.g) <= tol && std::abs(a.b - b.b) <= tol;
}

int Luma(plot::Rgb c) { return (299 * c.r + 587 * c.g + 114 * c.b) / 1000; }

// Columns / rows holding a run of at least `len` frame-coloured pixels: the
// edges of the axes frames and colour bars.
std::vector<int> VerticalEdges(const plot::Image& img, int len) {
  std::vector<int> cols;
  for (int x = 0; x < img.width; ++x) {
    int run = 0, best = 0;
    for (int y = 0; y < img.height; ++y) best = std::max(best, run = img.At(x, y) == kFrame ? run + 1 : 0);
    if (best >= len) cols.push_back(x);
  }
  return cols;
}

std::vector<int> HorizontalEdges(const plot::Image& img, int len) {
  std::vector<int> rows;
  for (int y = 0; y < img.height; ++y) {
    int run = 0, best = 0;
    for (int x = 0; x < img.width; ++x) best = std::max(best, run = img.At(x, y) == kFrame ? run + 1 : 0);
    if (best >= len) rows.push_back(y);
  }
  return rows;
}

// 0.8 s at 16 kHz: faint noise with a loud 1 kHz tone from 0.50 to 0.56 s.
void WriteBurstWav(const std::string& path) {
  std::mt19937 rng(7);
  std::normal_distribution<float> noise(0.f, 30.f);
  std::vector<float> s(12800);
  for (std::size_t i = 0; i < s.size(); ++i) {
    s[i] = std::round(noise(rng));
    if (i >= 8000 && i < 8960) s[i] += std::round(8000.f * std::sin(2 * std::numbers::pi * 1000.0 * i / 16000.0));
  }
  audio::WriteWav(path, s, 16000);
}

pipeline::FeaturePipelineOptions FbankOptions() {
  pipeline::FeaturePipelineOptions o;
  o.features.type = "fbank";
  o.features.fbank.mel.num_bins = 23;
  o.audio = pipeline::ModelAudioOptions(16000);
  return o;
}

// A classifier over 23 fbank features. With `lstm` false the attention pool
// reads the features directly and its query is c * (1, ..., 1): frame t gets
// weight softmax_t(c * sum(x_t) / sqrt(23)), computable here by hand.
void WriteModel(const std::string& path, bool lstm, float c) {
  const std::string arch = lstm ? R"({"input_dim": 23, "layers": [{"type": "lstm", "hidden": 8},
      {"type": "attention_pool"}, {"type": "linear", "out": 3}]})"
                                : R"({"input_dim": 23, "layers": [{"type": "attention_pool"},
      {"type": "linear", "out": 3}]})";
  nn::Model model(arch, 3);
  if (!lstm) {
    std::vector<NamedTensor> params = model.ExportParams();
    for (NamedTensor& t : params)
      if (t.name.ends_with("query")) std::fill(t.data.begin(), t.data.end(), c);
    model.ImportParams(params);
  }
  modelfile::ModelInfo info;
  info.labels = {"yes", "no", "maybe"};
  info.features_json = pipeline::FeatureConfigToJson(FbankOptions());
  info.extra["task"] = "classify";
  modelfile::SaveModel(path, model, info);
}

}  // namespace

TEST_CASE("plot features: a spectrogram's brightest row is the tone's frequency") {
  TempDir dir;
  WriteBurstWav(dir / "burst.wav");
  const auto r = RunAuris("plot features --type spectrogram burst.wav -o spec.png", dir);
  REQUIRE_MESSAGE(r.status == 0, r.err);
  const plot::Image img = Png(dir / "spec.png");
  CHECK(img.width == 960);
  const std::vector<int> cols = VerticalEdges(img, 100), rows = HorizontalEdges(img, 300);
  REQUIRE(cols.size() >= 2);
  REQUIRE(rows.size() == 2);  // top and bottom of the one frame
  const int left = cols[0] + 1, right = cols[1], top = rows[0] + 1, bottom = rows[1];
  // Bins of 16000 / 512 Hz, cell k centred on k * 31.25 Hz: y from -15.6 to 8015.6 Hz.
  const double dy = 16000.0 / 512;
  const auto row_of = [&](double hz) { return bottom - (hz + dy / 2) / (8000 + dy) * (bottom - top); };
  // Inside the burst (0.53 s of 0.8 s), above the bottom bins (bin 0 holds the energy).
  const int x = left + static_cast<int>(0.66 * (right - left));
  int best_y = -1, best = -1;
  for (int y = top; y < static_cast<int>(row_of(200)); ++y)
    if (Luma(img.At(x, y)) > best) best = Luma(img.At(x, y)), best_y = y;
  CHECK_MESSAGE(std::abs(best_y - row_of(1000)) <= 2.5, "brightest row " << best_y << ", 1 kHz at " << row_of(1000));
  // Before the burst the 1 kHz row is dark.
  CHECK(Luma(img.At(left + static_cast<int>(0.2 * (right - left)), static_cast<int>(row_of(1000)))) < best - 60);
}

TEST_CASE("plot attention: the weight curve peaks at the frames the attention query selects") {
  TempDir dir;
  WriteBurstWav(dir / "burst.wav");
  WriteModel(dir / "pool.safetensors", false, 0.3f);
  const auto r = RunAuris("plot attention --model pool.safetensors burst.wav -o att.png", dir);
  REQUIRE_MESSAGE(r.status == 0, r.err);
  CHECK(r.err.find("att.png") != std::string::npos);

  // The expected weights, from the features by hand.
  const Matrix feats = pipeline::ExtractUtterance(io::ExpandInputs(dir / "burst.wav")[0], FbankOptions()).features;
  const int frames = static_cast<int>(feats.rows());
  std::vector<double> score(frames);
  for (int t = 0; t < frames; ++t) score[t] = 0.3 * feats.row(t).cast<double>().sum() / std::sqrt(23.0);
  const double mx = *std::max_element(score.begin(), score.end());
  double sum = 0;
  for (double& s : score) sum += s = std::exp(s - mx);
  std::vector<double> w(frames);
  for (int t = 0; t < frames; ++t) w[t] = score[t] / sum;
  const double w_max = *std::max_element(w.begin(), w.end());
  int first = frames, last = -1;  // frames within 90% of the peak
  for (int t = 0; t < frames; ++t)
    if (w[t] >= 0.9 * w_max) first = std::min(first, t), last = std::max(last, t);
  REQUIRE(w_max > 0.05);

  const plot::Image img = Png(dir / "att.png");
  const std::vector<int> rows = HorizontalEdges(img, 300);
  REQUIRE(rows.size() == 4);  // heatmap top/bottom, line panel top/bottom
  const std::vector<int> cols = VerticalEdges(img, 60);
  REQUIRE(cols.size() >= 2);
  const int left = cols[0] + 1, right = cols[1];
  // Features above, in viridis; the curve below, in the first series colour.
  const int mid_heat = (rows[0] + rows[1]) / 2;
  int viridis_like = 0;
  for (int x = left; x < right; ++x) viridis_like += img.At(x, mid_heat).b > img.At(x, mid_heat).r / 2;
  CHECK(viridis_like > (right - left) * 0.9);
  int peak_x = -1, peak_y = img.height;
  for (int y = rows[2] + 1; y < rows[3]; ++y)
    for (int x = left; x < right; ++x)
      if (Close(img.At(x, y), plot::SeriesColor(0), 40) && y < peak_y) peak_y = y, peak_x = x;
  REQUIRE(peak_x >= 0);
  const double seconds = frames * 0.01;  // x axis: 0 .. frames * shift
  const double t_peak = (peak_x - left + 0.5) / (right - left) * seconds;
  CHECK_MESSAGE(t_peak >= first * 0.01 - 0.01, "peak at " << t_peak << " s, expected frames " << first << ".." << last);
  CHECK_MESSAGE(t_peak <= (last + 1) * 0.01 + 0.01, "peak at " << t_peak << " s, expected frames " << first << ".." << last);
  // The peak reaches near the top of its panel (the y axis starts at 0 and ends just above the max).
  CHECK(peak_y < rows[2] + 0.1 * (rows[3] - rows[2]));
}

TEST_CASE("plot attention: works for an LSTM + attention classifier - title from the prediction") {
  TempDir dir;
  WriteTestWav(dir / "a.wav", 0.5, 16000, 3);
  WriteModel(dir / "lstm.safetensors", true, 0);
  const auto r = RunAuris("plot attention -m lstm.safetensors a.wav -o att.png --width 700", dir);
  REQUIRE_MESSAGE(r.status == 0, r.err);
  const plot::Image img = Png(dir / "att.png");
  CHECK(img.width == 700);
  CHECK(HorizontalEdges(img, 300).size() == 4);
}

TEST_CASE("plot confusion: one cell per class, coloured by the fraction of the true label") {
  TempDir dir;
  WriteFile(dir / "eval.json", R"({"accuracy": 0.9, "n": 20, "labels": ["zero", "one", "two"],
    "confusion": [[5, 0, 0], [0, 8, 2], [0, 0, 5]],
    "per_class": {"zero": {"precision": 1, "recall": 1, "n": 5}},
    "errors": [{"file": "x.wav", "label": "one", "predicted": "two"}]})");
  const auto r = RunAuris("plot confusion eval.json -o c.png", dir);
  REQUIRE_MESSAGE(r.status == 0, r.err);
  const plot::Image img = Png(dir / "c.png");
  // Areas and places of the cells' colours, left of the colour bar.
  const std::vector<int> cols = VerticalEdges(img, 60);
  REQUIRE(cols.size() == 4);  // matrix left/right, colour bar left/right
  const int left = cols[0] + 1, right = cols[1];
  const double cell = (right - left) / 3.0;
  struct Area {
    long n = 0;
    double x = 0, y = 0;
  };
  const auto area = [&](double fraction) {
    Area a;
    for (int y = 0; y < img.height; ++y)
      for (int x = left; x < right; ++x)
        if (img.At(x, y) == plot::Viridis(fraction)) ++a.n, a.x += x, a.y += y;
    if (a.n) a.x /= a.n, a.y /= a.n;
    return a;
  };
  const Area zero = area(0), full = area(1), most = area(0.8), rest = area(0.2);
  const double one_cell = cell * cell;
  CHECK(most.n > 0.8 * one_cell);  // minus the number printed in it
  CHECK(most.n <= one_cell);
  CHECK(rest.n > 0.8 * one_cell);
  CHECK(zero.n > 0.8 * 5 * one_cell);
  CHECK(full.n > 0.8 * 2 * one_cell);
  // Row "one": 8 in the "one" column, 2 in the "two" column, side by side.
  CHECK(std::abs(most.y - rest.y) < 2);
  CHECK(rest.x - most.x == doctest::Approx(cell).epsilon(0.05));
  CHECK(std::abs((most.x - left) / cell - 1.5) < 0.05);
}

TEST_CASE("plot curves: losses fall in the upper panel, accuracies rise in the lower one") {
  TempDir dir;
  std::string log;
  for (int e = 1; e <= 8; ++e) {
    char line[256];
    std::snprintf(line, sizeof line,
                  R"({"epoch": %d, "train_loss": %.3f, "train_acc": %.3f, "valid_loss": %.3f, "valid_acc": %.3f, "lr": 0.001, "frames_per_s": 50000, "elapsed_s": %.1f})",
                  e, 2.0 / e, 1 - 0.5 / e, 2.2 / e, 0.95 - 0.5 / e, 12.0 * e);
    log += std::string(line) + "\n";
  }
  WriteFile(dir / "train_log.jsonl", log);
  const auto r = RunAuris("plot curves train_log.jsonl -o curves.png", dir);
  REQUIRE_MESSAGE(r.status == 0, r.err);
  const plot::Image img = Png(dir / "curves.png");
  // Five panels: losses, accuracies, lr, frames/s, elapsed.
  CHECK(HorizontalEdges(img, 300).size() == 10);
  // The first series of each panel (blue): its pixels in the middle columns,
  // away from the legends, split into the loss and the accuracy panel.
  const std::vector<int> rows = HorizontalEdges(img, 300);
  const auto slope = [&](int top, int bottom) {  // covariance of x and row over blue pixels
    double sx = 0, sy = 0, sxy = 0;
    long n = 0;
    for (int y = top; y < bottom; ++y)
      for (int x = img.width / 5; x < img.width * 4 / 5; ++x)
        if (Close(img.At(x, y), plot::SeriesColor(0), 30)) sx += x, sy += y, sxy += double(x) * y, ++n;
    REQUIRE(n > 50);
    return sxy / n - (sx / n) * (sy / n);
  };
  CHECK(slope(rows[0], rows[1]) > 0);  // loss falls: rows grow to the right
  CHECK(slope(rows[2], rows[3]) < 0);  // accuracy rises

  // A CTC log (valid_wer, no validation accuracy) plots too.
  WriteFile(dir / "ctc.jsonl", "{\"epoch\": 1, \"train_loss\": 3.1, \"valid_wer\": 0.8}\n"
                               "{\"epoch\": 2, \"train_loss\": 2.0, \"valid_wer\": 0.5}\n");
  CHECK(RunAuris("plot curves ctc.jsonl -o ctc.png", dir).status == 0);
  CHECK(HorizontalEdges(Png(dir / "ctc.png"), 300).size() == 4);
}

TEST_CASE("plot: missing, non-JSON and wrongly shaped inputs fail naming the file") {
  TempDir dir;
  WriteFile(dir / "bad.json", "{\"labels\": [\"a\", \"b\"], \"confusion\": [[1, 2]]}");
  WriteFile(dir / "text.json", "accuracy 0.9\n");
  WriteFile(dir / "log.jsonl", "{\"epoch\": 1, \"train_loss\": 1}\n{\"epoch\": 2, \"train_loss\": \n");
  WriteFile(dir / "empty.jsonl", "\n");
  WriteFile(dir / "model.safetensors", "not a model");
  WriteTestWav(dir / "a.wav", 0.3, 16000, 1);
  const struct {
    std::string args, expect;
  } cases[] = {
      {"plot confusion nope.json -o x.png", "nope.json: cannot open"},
      {"plot confusion text.json -o x.png", "text.json: not JSON"},
      {"plot confusion bad.json -o x.png", "bad.json: not an `auris eval --json` report: \"confusion\" must be 2 rows"},
      {"plot curves log.jsonl -o x.png", "log.jsonl:2: not JSON"},
      {"plot curves empty.jsonl -o x.png", "empty.jsonl: empty training log"},
      {"plot curves nope.jsonl -o x.png", "nope.jsonl: cannot open"},
      {"plot features nope.wav -o x.png", "nope.wav"},
      {"plot attention --model model.safetensors a.wav -o x.png", "model.safetensors"},
      {"plot attention --model nope.safetensors a.wav -o x.png", "nope.safetensors"},
  };
  for (const auto& c : cases) {
    const auto r = RunAuris(c.args, dir);
    CHECK_MESSAGE(r.status != 0, c.args);
    CHECK_MESSAGE(r.err.find(c.expect) != std::string::npos, c.args << " -> " << r.err);
  }
  CHECK(!std::filesystem::exists(dir / "x.png"));
  CHECK(RunAuris("plot curves -o x.png", dir).status != 0);  // no input
}
