// Figures rendered to PNG: panels stacked top to bottom — heatmaps (a matrix
// over a regular grid with a colour bar), line plots (named series with a
// legend) and labelled matrices (numbers in coloured cells, e.g. a confusion
// matrix). Heatmaps and line plots of one figure share their x axis: one x
// range, tick labels and x label under the lowest of them only, and plot
// areas aligned left and right. The module knows nothing about speech; the
// callers say what the axes mean.
//
//   plot::Figure fig(options);          // title, size, font
//   fig.Add(heatmap);                   // e.g. features.transpose(), dx = 0.01 s
//   fig.Add(lines);                     // e.g. attention weights at frame centres
//   std::string png = fig.Render().png; // the caller writes the file
#pragma once

#include <limits>
#include <string>
#include <variant>
#include <vector>

#include "auris/core/eigen.h"

namespace auris::plot {

inline constexpr double kAuto = std::numeric_limits<double>::quiet_NaN();

struct FigureOptions {
  std::string title;
  int width_px = 0;      // 0: 960, or as wide as the cells need for matrices alone
  int height_px = 0;     // 0: from the panels' heights
  double font_px = 14;   // tick labels; axis labels and title are larger

  void Validate() const;  // throws auris::Error naming the bad field
  std::string ToString() const;
};

// values(i, j) is the cell of row i (y, drawn bottom up) and column j (x).
// Cell j spans x in [x0 + j*dx, x0 + (j+1)*dx), cell i likewise in y.
struct Heatmap {
  Matrix values;
  double x0 = 0, dx = 1;
  double y0 = 0, dy = 1;
  std::string x_label, y_label;
  std::string value_label;            // colour bar caption
  double v_min = kAuto, v_max = kAuto;  // colour range (kAuto: data min / max); clamped
  double height_px = 300;
};

struct Series {
  std::string name;          // legend entry ("" = not in the legend)
  std::vector<double> x, y;  // same length; a NaN y breaks the line
};

struct LinePlot {
  std::vector<Series> series;
  std::string x_label, y_label;
  double x_min = kAuto, x_max = kAuto;  // kAuto: the data's range (plus 3% without a heatmap)
  double y_min = kAuto, y_max = kAuto;  // kAuto: the data's range plus 5% (nice ticks)
  bool markers = false;                 // a dot at every point
  bool integer_x = false;               // x ticks at whole numbers only (e.g. epochs)
  double height_px = 200;
};

// Numbers with named rows and columns; row 0 at the top. Cells are coloured
// by value / row sum (e.g. recall in a confusion matrix with rows = true
// label, columns = predicted) or, with colour_by_row_fraction false, by value
// between the matrix's min and max.
struct LabelledMatrix {
  Matrix values;
  std::vector<std::string> row_labels, col_labels;
  std::string row_title, col_title;
  std::string value_label;       // colour bar caption
  int decimals = 0;              // of the numbers printed in the cells
  bool colour_by_row_fraction = true;
  double cell_px = 44;           // preferred cell size (square)
};

struct Rect {
  double x = 0, y = 0, w = 0, h = 0;  // pixels, y down
};

// Where a panel landed, so callers (and tests) can map data to pixels.
struct PanelLayout {
  Rect plot;                          // the data area
  Rect colorbar;                      // w == 0 when there is none
  double x_min = 0, x_max = 0;        // data at plot.x and plot.x + plot.w
  double y_min = 0, y_max = 0;        // data at the bottom and the top (matrices: 0 and rows)
  double v_min = 0, v_max = 0;        // colour range (bottom and top of the colour bar)
};

struct RenderedFigure {
  std::string png;
  int width = 0, height = 0;
  std::vector<PanelLayout> panels;  // in the order added
};

using Panel = std::variant<Heatmap, LinePlot, LabelledMatrix>;

class Figure {
 public:
  explicit Figure(FigureOptions options = {});
  void Add(Panel panel) { panels_.push_back(std::move(panel)); }

  // Throws auris::Error on bad content (empty figure or matrix, x/y sizes
  // that differ, label counts that do not match the matrix, non-finite
  // ranges) or a size too small for the margins.
  RenderedFigure Render() const;

 private:
  FigureOptions options_;
  std::vector<Panel> panels_;
};

}  // namespace auris::plot
