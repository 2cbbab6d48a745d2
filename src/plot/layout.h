// Internal: what Figure::Render decides before drawing — sizes derived from
// the font, and per panel its rectangle, ranges and tick labels — and the
// functions that draw each panel kind into that plan.
#pragma once

#include <string>
#include <vector>

#include "auris/plot/figure.h"
#include "auris/plot/ticks.h"
#include "canvas.h"

namespace auris::plot {

struct Style {
  explicit Style(double font_px);
  Font tick, label, title, legend;
  double pad, tick_len, gap, panel_gap, line_h, label_h;
  double cb_gap, cb_w, legend_h, line_w, marker_r;
  Rgb text{0x1a, 0x1a, 0x1a};
  Rgb axis{0x40, 0x40, 0x40};
  Rgb grid{0xe4, 0xe4, 0xe4};
  Rgb missing{0xd0, 0xd0, 0xd0};  // NaN heatmap cells
};

struct AxisTicks {
  std::vector<double> values;
  std::vector<std::string> labels;
  double MaxWidth(Canvas& c, const Font& f) const;
};
AxisTicks MakeTicks(double lo, double hi, int target, bool integer = false);

struct PanelPlan {
  PanelLayout layout;
  AxisTicks x, y, colour;
  bool x_labels = true;  // draw x tick labels and the x label under this panel
  double above = 0, below = 0, height = 0;
  double y_label_x = 0;  // centre of the rotated y label
  double figure_right = 0;  // right edge of the drawable area
  bool rotate_cols = false;  // matrix column labels at 45 degrees
  double col_labels_h = 0;   // matrix: height of the column labels
};

void DrawHeatmap(Canvas& c, const Style& s, const Heatmap& h, const PanelPlan& p);
void DrawLines(Canvas& c, const Style& s, const LinePlot& l, const PanelPlan& p);
void DrawMatrix(Canvas& c, const Style& s, const LabelledMatrix& m, const PanelPlan& p);

// Shared pieces.
void DrawFrame(Canvas& c, const Style& s, const Rect& r);
void DrawXAxis(Canvas& c, const Style& s, const PanelPlan& p, const std::string& label);
void DrawYAxis(Canvas& c, const Style& s, const PanelPlan& p, const std::string& label);
void DrawColorbar(Canvas& c, const Style& s, const PanelPlan& p, const std::string& label);

// Pixel of data value v on an axis from lo (at a) to hi (at b).
inline double MapTo(double v, double lo, double hi, double a, double b) {
  return a + (v - lo) / (hi - lo) * (b - a);
}

}  // namespace auris::plot
