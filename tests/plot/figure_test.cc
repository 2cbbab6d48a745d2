// Figures decoded back from their PNG: cells, colour bar, lines, shared axes
// and confusion-matrix cells land where the data says, in the right colours.
#include <doctest/doctest.h>

#include <cmath>

#include "auris/core/error.h"
#include "auris/plot/colormap.h"
#include "auris/plot/figure.h"
#include "auris/plot/image.h"
#include "plot_support.h"

using namespace auris;
using namespace auris::test;

namespace {

struct Drawn {
  plot::RenderedFigure fig;
  plot::Image img;
};

Drawn Draw(const plot::Figure& f) {
  Drawn d{f.Render(), {}};
  d.img = plot::DecodePng(d.fig.png, "figure");
  return d;
}

// Pixels darker than `luma` inside a box.
int DarkPixels(const plot::Image& img, int x0, int y0, int x1, int y1, int luma) {
  int n = 0;
  for (int y = std::max(0, y0); y < std::min(img.height, y1); ++y)
    for (int x = std::max(0, x0); x < std::min(img.width, x1); ++x) n += Luma(img.At(x, y)) < luma;
  return n;
}

// Mean row of the pixels near colour `c` in pixel column x.
double MeanRowOf(const plot::Image& img, plot::Rgb c, int x, int y0, int y1) {
  double sum = 0;
  int n = 0;
  for (int y = y0; y < y1; ++y)
    if (Near(img.At(x, y), c, 12)) sum += y, ++n;
  return n ? sum / n : -1;
}

plot::FigureOptions Options(int width, int height = 0, const std::string& title = "") {
  plot::FigureOptions o;
  o.title = title;
  o.width_px = width;
  o.height_px = height;
  return o;
}

}  // namespace

TEST_CASE("heatmap: every cell has its value's colour - max top right, min bottom left") {
  plot::Heatmap h;
  h.values.resize(3, 4);  // row i at the bottom for i = 0; value = 4i + j
  for (int i = 0; i < 3; ++i)
    for (int j = 0; j < 4; ++j) h.values(i, j) = static_cast<float>(4 * i + j);
  h.dx = 0.5;
  h.x_label = "time (s)";
  h.y_label = "bin";
  h.value_label = "value";
  plot::Figure f(Options(700, 420, "known matrix"));
  f.Add(h);
  const Drawn d = Draw(f);
  CHECK(d.img.width == 700);
  CHECK(d.img.height == 420);
  REQUIRE(d.fig.panels.size() == 1);
  const plot::PanelLayout& L = d.fig.panels[0];
  CHECK(L.x_min == 0);
  CHECK(L.x_max == doctest::Approx(2.0));
  CHECK(L.v_min == 0);
  CHECK(L.v_max == 11);
  // Margins for labels on every side, colour bar right of the plot.
  CHECK(L.plot.x > 40);
  CHECK(L.plot.y > 30);
  CHECK(L.plot.x + L.plot.w < L.colorbar.x);
  CHECK(L.colorbar.x + L.colorbar.w < 700 - 30);
  CHECK(L.plot.y + L.plot.h < 420 - 30);

  const double cw = L.plot.w / 4, ch = L.plot.h / 3;
  for (int i = 0; i < 3; ++i)
    for (int j = 0; j < 4; ++j) {
      const int x = static_cast<int>(L.plot.x + (j + 0.5) * cw);
      const int y = static_cast<int>(L.plot.y + L.plot.h - (i + 0.5) * ch);
      const plot::Rgb want = plot::Viridis((4 * i + j) / 11.0);
      CHECK_MESSAGE(Near(d.img.At(x, y), want), "cell " << i << "," << j << " got " << Str(d.img.At(x, y))
                                                        << " want " << Str(want));
    }
  // Searching the whole image left of the colour bar: the max colour is
  // exactly the top-right cell, the min colour exactly the bottom-left one.
  const int cb = static_cast<int>(L.colorbar.x);
  const Box hi = FindColour(d.img, plot::Viridis(1), 0, 0, cb, d.img.height);
  const Box lo = FindColour(d.img, plot::Viridis(0), 0, 0, cb, d.img.height);
  REQUIRE(!hi.Empty());
  REQUIRE(!lo.Empty());
  CHECK(std::abs(hi.x0 - (L.plot.x + 3 * cw)) <= 1);
  CHECK(std::abs(hi.x1 + 1 - (L.plot.x + L.plot.w)) <= 1);
  CHECK(std::abs(hi.y0 - L.plot.y) <= 1);
  CHECK(std::abs(hi.y1 + 1 - (L.plot.y + ch)) <= 1);
  CHECK(std::abs(lo.x0 - L.plot.x) <= 1);
  CHECK(std::abs(lo.x1 + 1 - (L.plot.x + cw)) <= 1);
  CHECK(std::abs(lo.y0 - (L.plot.y + 2 * ch)) <= 1);
  CHECK(std::abs(lo.y1 + 1 - (L.plot.y + L.plot.h)) <= 1);
}

TEST_CASE("colour bar: runs from the low colour at the bottom to the high colour at the top") {
  plot::Heatmap h;
  h.values = Matrix::Random(5, 7);
  h.v_min = -2;
  h.v_max = 2;
  plot::Figure f;
  f.Add(h);
  const Drawn d = Draw(f);
  const plot::Rect& b = d.fig.panels[0].colorbar;
  REQUIRE(b.w > 5);
  const int x = static_cast<int>(b.x + b.w / 2);
  const int top = static_cast<int>(b.y), bottom = static_cast<int>(b.y + b.h) - 1;
  CHECK(Near(d.img.At(x, bottom), plot::Viridis(0), 2));
  CHECK(Near(d.img.At(x, top), plot::Viridis(1), 2));
  CHECK(Near(d.img.At(x, (top + bottom) / 2), plot::Viridis(0.5), 3));
  // Lightness rises upwards (1 of slack: channels are rounded).
  for (int y = bottom; y > top; --y) CHECK(Luma(d.img.At(x, y - 1)) >= Luma(d.img.At(x, y)) - 1);
  CHECK(d.fig.panels[0].v_min == -2);
  CHECK(d.fig.panels[0].v_max == 2);
}

TEST_CASE("heatmap wider than its plot area (and than cairo's 32767-pixel images) is averaged") {
  plot::Heatmap h;
  h.values.resize(2, 40000);  // left half low, right half high
  for (int j = 0; j < 40000; ++j) h.values.col(j).setConstant(j < 20000 ? 0.f : 1.f);
  plot::Figure f(Options(600));
  f.Add(h);
  const Drawn d = Draw(f);
  const plot::Rect& r = d.fig.panels[0].plot;
  const int y = static_cast<int>(r.y + r.h / 2);
  CHECK(Near(d.img.At(static_cast<int>(r.x + r.w * 0.25), y), plot::Viridis(0), 2));
  CHECK(Near(d.img.At(static_cast<int>(r.x + r.w * 0.75), y), plot::Viridis(1), 2));
}

TEST_CASE("line plot: series pass through the expected pixels, legend above the plot") {
  plot::LinePlot l;
  plot::Series up{"up", {}, {}}, flat{"flat", {0, 10}, {2, 2}};
  for (int k = 0; k <= 20; ++k) up.x.push_back(k * 0.5), up.y.push_back(k * 0.5);
  l.series = {up, flat};
  l.x_min = 0, l.x_max = 10, l.y_min = 0, l.y_max = 10;
  l.x_label = "x";
  l.y_label = "y";
  plot::Figure f(Options(640, 400));
  f.Add(l);
  const Drawn d = Draw(f);
  const plot::Rect& r = d.fig.panels[0].plot;
  const auto px = [&](double x) { return static_cast<int>(r.x + x / 10 * r.w); };
  const auto py = [&](double y) { return r.y + r.h - y / 10 * r.h; };
  const int y0 = static_cast<int>(r.y), y1 = static_cast<int>(r.y + r.h);
  for (double x : {1.3, 2.5, 5.0, 7.5, 9.1}) {
    CHECK_MESSAGE(std::abs(MeanRowOf(d.img, plot::SeriesColor(0), px(x), y0, y1) - py(x)) <= 2, "up at x=" << x);
    CHECK_MESSAGE(std::abs(MeanRowOf(d.img, plot::SeriesColor(1), px(x), y0, y1) - py(2)) <= 2, "flat at x=" << x);
  }
  // Both legend swatches sit in the band above the plot area.
  for (int k = 0; k < 2; ++k) {
    Box legend;
    for (int y = 0; y < y0 - 2; ++y)
      for (int x = 0; x < d.img.width; ++x)
        if (Near(d.img.At(x, y), plot::SeriesColor(k), 12)) legend.x1 = x;
    CHECK_MESSAGE(!legend.Empty(), "legend entry " << k);
  }
}

TEST_CASE("stacked figure: heatmap over a line panel, one shared x axis labelled once") {
  plot::Heatmap h;
  h.values = Matrix::Constant(4, 50, 1.f);
  h.dx = 0.02;  // 0 .. 1 s
  h.x_label = "time (s)";
  plot::LinePlot l;
  l.series = {{"w", {0.01, 0.99}, {0.1, 0.2}}};
  l.x_label = "time (s)";
  plot::Figure f(Options(800));
  f.Add(h);
  f.Add(l);
  const Drawn d = Draw(f);
  REQUIRE(d.fig.panels.size() == 2);
  const plot::PanelLayout &top = d.fig.panels[0], &low = d.fig.panels[1];
  CHECK(top.plot.x == low.plot.x);
  CHECK(top.plot.w == low.plot.w);
  CHECK(top.x_min == low.x_min);
  CHECK(top.x_max == low.x_max);
  CHECK(low.x_max == doctest::Approx(1.0));
  CHECK(top.plot.y + top.plot.h < low.plot.y);
  // Tick labels (dark text) only under the lower panel.
  const int x0 = static_cast<int>(top.plot.x), x1 = static_cast<int>(top.plot.x + top.plot.w);
  const int below_top = static_cast<int>(top.plot.y + top.plot.h) + 8;
  CHECK(DarkPixels(d.img, x0, below_top, x1, static_cast<int>(low.plot.y) - 40, 128) == 0);
  const int below_low = static_cast<int>(low.plot.y + low.plot.h) + 8;
  CHECK(DarkPixels(d.img, x0, below_low, x1, below_low + 30, 128) > 20);
}

TEST_CASE("labelled matrix: one cell per class, coloured by row fraction, numbers inside") {
  plot::LabelledMatrix m;
  m.values.resize(4, 4);
  m.values << 10, 0, 0, 0,  //
      0, 8, 2, 0,           //
      0, 0, 10, 0,          //
      1, 0, 0, 9;
  m.row_labels = m.col_labels = {"zero", "one", "two", "three"};
  m.row_title = "true";
  m.col_title = "predicted";
  plot::Figure f(Options(0, 0, "confusion"));
  f.Add(m);
  const Drawn d = Draw(f);
  const plot::Rect& r = d.fig.panels[0].plot;
  CHECK(r.w == doctest::Approx(r.h));
  const double cell = r.w / 4;
  CHECK(cell >= 40);
  const auto corner = [&](int i, int j) {  // inside the cell, away from the number
    return d.img.At(static_cast<int>(r.x + (j + 0.1) * cell), static_cast<int>(r.y + (i + 0.1) * cell));
  };
  for (int i = 0; i < 4; ++i)
    for (int j = 0; j < 4; ++j) {
      const double fraction = m.values(i, j) / m.values.row(i).sum();
      CHECK_MESSAGE(Near(corner(i, j), plot::Viridis(fraction)), "cell " << i << "," << j);
    }
  // Numbers: dark ink on the bright diagonal cell, light ink on a dark one.
  const auto centre = [&](int i, int j, bool dark_ink) {
    int n = 0;
    for (int y = static_cast<int>(r.y + (i + 0.3) * cell); y < r.y + (i + 0.7) * cell; ++y)
      for (int x = static_cast<int>(r.x + (j + 0.3) * cell); x < r.x + (j + 0.7) * cell; ++x)
        n += dark_ink ? Luma(d.img.At(x, y)) < 80 : Luma(d.img.At(x, y)) > 200;
    return n;
  };
  CHECK(centre(0, 0, true) > 10);
  CHECK(centre(0, 1, false) > 10);
  CHECK(d.img.width < 700);  // sized to the cells when no other panel sets the width
}

TEST_CASE("figure errors name the problem") {
  plot::Figure empty;
  CHECK_THROWS_WITH_AS(empty.Render(), doctest::Contains("no panels"), Error);
  plot::Figure f;
  plot::LinePlot bad;
  bad.series = {{"loss", {1, 2, 3}, {1, 2}}};
  f.Add(bad);
  CHECK_THROWS_WITH_AS(f.Render(), doctest::Contains("'loss' has 3 x and 2 y"), Error);
  plot::Figure g;
  plot::LabelledMatrix m;
  m.values = Matrix::Ones(2, 2);
  m.row_labels = {"a", "b"};
  m.col_labels = {"a"};
  g.Add(m);
  CHECK_THROWS_WITH_AS(g.Render(), doctest::Contains("1 column labels"), Error);
  plot::FigureOptions tiny_font;
  tiny_font.font_px = 1;
  CHECK_THROWS_WITH_AS(plot::Figure{tiny_font}, doctest::Contains("font_px"), Error);
  CHECK_THROWS_WITH_AS(plot::DecodePng("GIF89a....", "x.png"), doctest::Contains("x.png: not a PNG"), Error);
  CHECK_THROWS_WITH_AS(plot::DecodePng(std::string("\x89PNG\r\n\x1a\n", 8) + "junk", "y.png"),
                       doctest::Contains("y.png"), Error);
}
