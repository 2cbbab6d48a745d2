// Frames, ticks, axis labels and colour bars shared by the panel kinds.
#include <algorithm>
#include <cmath>

#include "layout.h"

namespace auris::plot {

Style::Style(double f)
    : tick{f, false},
      label{f * 1.07, false},
      title{f * 1.3, true},
      legend{f, false},
      pad(std::round(0.9 * f)),
      tick_len(0.4 * f),
      gap(0.45 * f),
      panel_gap(1.1 * f),
      line_h(1.2 * f),
      label_h(1.25 * f * 1.07),
      cb_gap(std::round(1.0 * f)),
      cb_w(std::round(1.2 * f)),
      legend_h(2.0 * f),
      line_w(std::max(1.5, 0.15 * f)),
      marker_r(0.22 * f) {}

double AxisTicks::MaxWidth(Canvas& c, const Font& f) const {
  double w = 0;
  for (const std::string& l : labels) w = std::max(w, c.TextWidth(l, f));
  return w;
}

AxisTicks MakeTicks(double lo, double hi, int target, bool integer) {
  const Ticks t = NiceTicks(lo, hi, target, integer);
  AxisTicks a;
  a.values = t.values;
  for (double v : t.values) a.labels.push_back(FormatTick(v, t.step));
  return a;
}

void DrawFrame(Canvas& c, const Style& s, const Rect& r) {
  c.Stroke({r.x - 0.5, r.y - 0.5, r.w + 1, r.h + 1}, s.axis, 1);
}

void DrawXAxis(Canvas& c, const Style& s, const PanelPlan& p, const std::string& label) {
  const Rect& r = p.layout.plot;
  const double bottom = r.y + r.h;
  for (std::size_t k = 0; k < p.x.values.size(); ++k) {
    const double px = Crisp(MapTo(p.x.values[k], p.layout.x_min, p.layout.x_max, r.x, r.x + r.w));
    c.Line(px, bottom, px, bottom + s.tick_len, s.axis, 1);
    if (p.x_labels) c.Text(p.x.labels[k], px, bottom + s.tick_len + s.gap, Align::kCenter, Align::kStart, s.tick, s.text);
  }
  if (p.x_labels && !label.empty())
    c.Text(label, r.x + r.w / 2, bottom + s.tick_len + s.gap + s.line_h + s.gap, Align::kCenter, Align::kStart,
           s.label, s.text);
}

void DrawYAxis(Canvas& c, const Style& s, const PanelPlan& p, const std::string& label) {
  const Rect& r = p.layout.plot;
  for (std::size_t k = 0; k < p.y.values.size(); ++k) {
    const double py = Crisp(MapTo(p.y.values[k], p.layout.y_min, p.layout.y_max, r.y + r.h, r.y));
    c.Line(r.x - s.tick_len, py, r.x, py, s.axis, 1);
    c.Text(p.y.labels[k], r.x - s.tick_len - s.gap, py, Align::kEnd, Align::kCenter, s.tick, s.text);
  }
  if (!label.empty())
    c.Text(label, p.y_label_x, r.y + r.h / 2, Align::kCenter, Align::kCenter, s.label, s.text, -90);
}

void DrawColorbar(Canvas& c, const Style& s, const PanelPlan& p, const std::string& label) {
  const Rect& b = p.layout.colorbar;
  // One row of pixels per colour, from the low end (bottom) to the high end (top).
  for (int row = 0; row < static_cast<int>(b.h); ++row) {
    const double t = (row + 0.5) / b.h;
    c.Fill({b.x, b.y + b.h - row - 1, b.w, 1}, Viridis(t));
  }
  DrawFrame(c, s, b);
  for (std::size_t k = 0; k < p.colour.values.size(); ++k) {
    const double py = Crisp(MapTo(p.colour.values[k], p.layout.v_min, p.layout.v_max, b.y + b.h, b.y));
    c.Line(b.x + b.w, py, b.x + b.w + s.tick_len, py, s.axis, 1);
    c.Text(p.colour.labels[k], b.x + b.w + s.tick_len + s.gap, py, Align::kStart, Align::kCenter, s.tick, s.text);
  }
  if (!label.empty())
    c.Text(label, p.figure_right - s.label_h / 2, b.y + b.h / 2, Align::kCenter, Align::kCenter, s.label, s.text,
           -90);
}

}  // namespace auris::plot
