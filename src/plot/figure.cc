#include "auris/plot/figure.h"

#include <algorithm>
#include <cmath>
#include <sstream>

#include "auris/core/error.h"
#include "layout.h"

namespace auris::plot {

void FigureOptions::Validate() const {
  if (width_px < 0 || width_px > 16384)
    throw MakeError("figure width_px ", width_px, ": expected 0 (automatic) or up to 16384");
  if (height_px < 0 || height_px > 16384)
    throw MakeError("figure height_px ", height_px, ": expected 0 (automatic) or up to 16384");
  if (!(font_px >= 6 && font_px <= 72)) throw MakeError("figure font_px ", font_px, ": expected 6 to 72");
}

std::string FigureOptions::ToString() const {
  std::ostringstream os;
  os << "title='" << title << "' width_px=" << width_px << " height_px=" << height_px
     << " font_px=" << font_px;
  return os.str();
}

Figure::Figure(FigureOptions options) : options_(std::move(options)) { options_.Validate(); }

namespace {

bool Finite(double v) { return std::isfinite(v); }
bool AutoOrFinite(double v) { return std::isnan(v) || Finite(v); }

void Check(const Heatmap& h, int i) {
  if (h.values.size() == 0) throw MakeError("panel ", i, " (heatmap): empty matrix");
  if (!Finite(h.x0) || !Finite(h.y0) || !(h.dx > 0) || !(h.dy > 0) || !Finite(h.dx) || !Finite(h.dy))
    throw MakeError("panel ", i, " (heatmap): grid x0/dx/y0/dy must be finite with dx, dy > 0");
  if (!AutoOrFinite(h.v_min) || !AutoOrFinite(h.v_max))
    throw MakeError("panel ", i, " (heatmap): colour range must be finite or kAuto");
  if (!(h.height_px > 0)) throw MakeError("panel ", i, " (heatmap): height_px must be > 0");
}

void Check(const LinePlot& l, int i) {
  bool any = false;
  for (const Series& s : l.series) {
    if (s.x.size() != s.y.size())
      throw MakeError("panel ", i, " (lines): series '", s.name, "' has ", s.x.size(), " x and ",
                      s.y.size(), " y values");
    for (std::size_t k = 0; k < s.x.size(); ++k) {
      if (!Finite(s.x[k])) throw MakeError("panel ", i, " (lines): series '", s.name, "' has a non-finite x");
      any = any || Finite(s.y[k]);
    }
  }
  if (!any) throw MakeError("panel ", i, " (lines): no finite data point");
  for (double v : {l.x_min, l.x_max, l.y_min, l.y_max})
    if (!AutoOrFinite(v)) throw MakeError("panel ", i, " (lines): axis limits must be finite or kAuto");
  if (!(l.height_px > 0)) throw MakeError("panel ", i, " (lines): height_px must be > 0");
}

void Check(const LabelledMatrix& m, int i) {
  if (m.values.size() == 0) throw MakeError("panel ", i, " (matrix): empty matrix");
  if (static_cast<Eigen::Index>(m.row_labels.size()) != m.values.rows() ||
      static_cast<Eigen::Index>(m.col_labels.size()) != m.values.cols())
    throw MakeError("panel ", i, " (matrix): ", m.values.rows(), "x", m.values.cols(), " values but ",
                    m.row_labels.size(), " row and ", m.col_labels.size(), " column labels");
  if (m.decimals < 0 || m.decimals > 6) throw MakeError("panel ", i, " (matrix): decimals must be 0..6");
  if (!(m.cell_px >= 8)) throw MakeError("panel ", i, " (matrix): cell_px must be >= 8");
}

// A range that is never empty.
std::pair<double, double> Widen(double lo, double hi) {
  if (lo < hi) return {lo, hi};
  const double d = std::abs(lo) > 0 ? std::abs(lo) * 0.1 : 0.5;
  return {lo - d, hi + d};
}

std::pair<double, double> XRange(const Panel& p) {
  if (const auto* h = std::get_if<Heatmap>(&p)) return {h->x0, h->x0 + h->values.cols() * h->dx};
  const auto& l = std::get<LinePlot>(p);
  double lo = INFINITY, hi = -INFINITY;
  for (const Series& s : l.series)
    for (double x : s.x) lo = std::min(lo, x), hi = std::max(hi, x);
  if (!std::isnan(l.x_min)) lo = l.x_min;
  if (!std::isnan(l.x_max)) hi = l.x_max;
  return {lo, hi};
}

std::pair<double, double> YRange(const LinePlot& l) {
  double lo = INFINITY, hi = -INFINITY;
  for (const Series& s : l.series)
    for (double y : s.y)
      if (Finite(y)) lo = std::min(lo, y), hi = std::max(hi, y);
  const double margin = 0.05 * (hi - lo);
  lo -= margin, hi += margin;
  if (!std::isnan(l.y_min)) lo = l.y_min;
  if (!std::isnan(l.y_max)) hi = l.y_max;
  return Widen(lo, hi);
}

// Min and max of the finite entries (plain loop: Eigen's vectorised
// min/maxCoeff trips GCC 12's avx512 false-positive warnings).
std::pair<double, double> FiniteRange(const Matrix& m) {
  double lo = INFINITY, hi = -INFINITY;
  for (Eigen::Index k = 0; k < m.size(); ++k) {
    const double v = m.data()[k];
    if (Finite(v)) lo = std::min(lo, v), hi = std::max(hi, v);
  }
  return {lo, hi};
}

std::pair<double, double> ColourRange(const Heatmap& h) {
  auto [lo, hi] = FiniteRange(h.values);
  if (!Finite(lo)) lo = 0, hi = 1;  // all NaN: every cell grey
  if (!std::isnan(h.v_min)) lo = h.v_min;
  if (!std::isnan(h.v_max)) hi = h.v_max;
  return Widen(lo, hi);
}

std::pair<double, double> ColourRange(const LabelledMatrix& m) {
  if (m.colour_by_row_fraction) return {0, 1};
  const auto [lo, hi] = FiniteRange(m.values);
  return Finite(lo) ? Widen(lo, hi) : std::pair<double, double>{0, 1};
}

int TickTarget(double length_px, double spacing_px, int most) {
  return std::clamp(static_cast<int>(length_px / spacing_px), 2, most);
}

bool HasLegend(const LinePlot& l) {
  return std::any_of(l.series.begin(), l.series.end(), [](const Series& s) { return !s.name.empty(); });
}

const std::string& XLabel(const Panel& p) {
  if (const auto* h = std::get_if<Heatmap>(&p)) return h->x_label;
  if (const auto* l = std::get_if<LinePlot>(&p)) return l->x_label;
  return std::get<LabelledMatrix>(p).col_title;
}

const std::string& YLabel(const Panel& p) {
  if (const auto* h = std::get_if<Heatmap>(&p)) return h->y_label;
  if (const auto* l = std::get_if<LinePlot>(&p)) return l->y_label;
  return std::get<LabelledMatrix>(p).row_title;
}

const std::string& ColourLabel(const Panel& p) {
  if (const auto* h = std::get_if<Heatmap>(&p)) return h->value_label;
  return std::get<LabelledMatrix>(p).value_label;
}

double MaxLabelWidth(Canvas& c, const std::vector<std::string>& labels, const Font& f) {
  double w = 0;
  for (const std::string& l : labels) w = std::max(w, c.TextWidth(l, f));
  return w;
}

}  // namespace

RenderedFigure Figure::Render() const {
  if (panels_.empty()) throw MakeError("figure '", options_.title, "': no panels");
  const int n = static_cast<int>(panels_.size());
  int lowest_axis = -1;
  for (int i = 0; i < n; ++i) {
    std::visit([i](const auto& p) { Check(p, i); }, panels_[i]);
    if (!std::holds_alternative<LabelledMatrix>(panels_[i])) lowest_axis = i;
  }
  const Style s(options_.font_px);
  Canvas measure(1, 1);
  std::vector<PanelPlan> plans(n);

  // Vertical layout: space above (legend) and below (x ticks, labels) each
  // panel is fixed; the panels' own heights take the rest.
  const double top = s.pad + (options_.title.empty() ? 0 : s.title.size * 1.2 + s.gap * 2);
  double fixed = top + s.pad + (n - 1) * s.panel_gap, preferred = 0;
  for (int i = 0; i < n; ++i) {
    PanelPlan& p = plans[i];
    const Panel& panel = panels_[i];
    if (const auto* m = std::get_if<LabelledMatrix>(&panel)) {
      p.height = m->values.rows() * m->cell_px;
      p.rotate_cols = MaxLabelWidth(measure, m->col_labels, s.tick) > 0.9 * m->cell_px;
      p.col_labels_h = p.rotate_cols
                           ? MaxLabelWidth(measure, m->col_labels, s.tick) * std::sqrt(0.5) + s.tick.size
                           : s.line_h;
      p.below = s.tick_len + s.gap + p.col_labels_h + (m->col_title.empty() ? 0 : s.gap + s.label_h);
      p.above = s.gap;
    } else {
      const auto* l = std::get_if<LinePlot>(&panel);
      p.height = l ? l->height_px : std::get<Heatmap>(panel).height_px;
      p.above = l && HasLegend(*l) ? s.legend_h : s.gap;
      p.x_labels = i == lowest_axis;
      p.below = s.tick_len + (p.x_labels ? s.gap + s.line_h + (XLabel(panel).empty() ? 0 : s.gap + s.label_h) : 0);
    }
    fixed += p.above + p.below;
    preferred += p.height;
  }
  double height = fixed + preferred;
  if (options_.height_px > 0) {
    height = options_.height_px;
    const double scale = (height - fixed) / preferred;
    for (PanelPlan& p : plans) {
      p.height *= scale;
      if (p.height < 30)
        throw MakeError("figure height ", options_.height_px, " px is too small for ", n, " panels");
    }
  }

  // Ticks along y and of the colour bars (they depend on heights only), then
  // the margins their labels need.
  double y_tick_w = 0, cb_extra = 0;
  bool any_y_label = false;
  for (int i = 0; i < n; ++i) {
    PanelPlan& p = plans[i];
    const Panel& panel = panels_[i];
    any_y_label = any_y_label || !YLabel(panel).empty();
    const int target = TickTarget(p.height, 2.8 * s.tick.size, 9);
    if (const auto* h = std::get_if<Heatmap>(&panel)) {
      p.layout.y_min = h->y0;
      p.layout.y_max = h->y0 + h->values.rows() * h->dy;
    } else if (const auto* l = std::get_if<LinePlot>(&panel)) {
      std::tie(p.layout.y_min, p.layout.y_max) = YRange(*l);
    }
    if (const auto* m = std::get_if<LabelledMatrix>(&panel)) {
      p.layout.y_min = 0;
      p.layout.y_max = static_cast<double>(m->values.rows());
      y_tick_w = std::max(y_tick_w, MaxLabelWidth(measure, m->row_labels, s.tick));
    } else {
      p.y = MakeTicks(p.layout.y_min, p.layout.y_max, target);
      y_tick_w = std::max(y_tick_w, p.y.MaxWidth(measure, s.tick));
    }
    if (std::holds_alternative<LinePlot>(panel)) continue;
    std::tie(p.layout.v_min, p.layout.v_max) = std::holds_alternative<Heatmap>(panel)
                                                   ? ColourRange(std::get<Heatmap>(panel))
                                                   : ColourRange(std::get<LabelledMatrix>(panel));
    p.colour = MakeTicks(p.layout.v_min, p.layout.v_max, target);
    cb_extra = std::max(cb_extra, s.cb_gap + s.cb_w + s.tick_len + s.gap + p.colour.MaxWidth(measure, s.tick) +
                                      (ColourLabel(panel).empty() ? 0 : s.gap * 1.5 + s.label_h));
  }
  const double y_label_w = any_y_label ? s.label_h + s.gap * 1.5 : 0;
  const double left = std::round(s.pad + y_label_w + y_tick_w + s.gap + s.tick_len);
  const double right = std::round(s.pad + std::max(cb_extra, s.tick.size));

  double width = options_.width_px;
  if (width == 0) {
    width = 960;
    if (lowest_axis < 0) {  // matrices only: as wide as their cells need
      width = 0;
      for (const Panel& panel : panels_) {
        const auto& m = std::get<LabelledMatrix>(panel);
        width = std::max(width, left + m.values.cols() * m.cell_px + right);
      }
    }
  }
  const double plot_w = width - left - right;
  if (plot_w < 50) throw MakeError("figure width ", width, " px is too small for its margins");

  // Shared x axis of the heatmaps and line plots. Line plots alone get a
  // little room at automatic ends, so end points and markers are not cut.
  double x_lo = INFINITY, x_hi = -INFINITY;
  bool any_heatmap = false, pad_lo = true, pad_hi = true, integer_x = false;
  for (const Panel& panel : panels_) {
    if (std::holds_alternative<LabelledMatrix>(panel)) continue;
    const auto [lo, hi] = XRange(panel);
    x_lo = std::min(x_lo, lo), x_hi = std::max(x_hi, hi);
    any_heatmap = any_heatmap || std::holds_alternative<Heatmap>(panel);
    if (const auto* l = std::get_if<LinePlot>(&panel)) {
      pad_lo = pad_lo && std::isnan(l->x_min);
      pad_hi = pad_hi && std::isnan(l->x_max);
      integer_x = integer_x || l->integer_x;
    }
  }
  AxisTicks x_ticks;
  if (lowest_axis >= 0) {
    std::tie(x_lo, x_hi) = Widen(x_lo, x_hi);
    if (!any_heatmap) {
      const double margin = 0.03 * (x_hi - x_lo);
      x_lo -= pad_lo ? margin : 0;
      x_hi += pad_hi ? margin : 0;
    }
    for (int target = TickTarget(plot_w, 6 * s.tick.size, 12);; --target) {
      x_ticks = MakeTicks(x_lo, x_hi, target, integer_x && !any_heatmap);
      const double step_px = x_ticks.values.size() > 1
                                 ? (x_ticks.values[1] - x_ticks.values[0]) / (x_hi - x_lo) * plot_w
                                 : plot_w;
      if (target == 2 || x_ticks.MaxWidth(measure, s.tick) + 1.5 * s.tick.size <= step_px) break;
    }
  }

  double y = top;
  for (int i = 0; i < n; ++i) {
    PanelPlan& p = plans[i];
    y += p.above;
    p.layout.plot = {left, std::round(y), plot_w, std::round(p.height)};
    p.y_label_x = s.pad + s.label_h / 2;
    p.figure_right = width - s.pad;
    if (const auto* m = std::get_if<LabelledMatrix>(&panels_[i])) {
      const double cell = std::floor(std::min(p.height / m->values.rows(), plot_w / m->values.cols()));
      const double w = cell * m->values.cols();
      p.layout.plot = {std::round(left + (plot_w - w) / 2), std::round(y), w, cell * m->values.rows()};
      p.layout.x_min = 0;
      p.layout.x_max = static_cast<double>(m->values.cols());
    } else {
      p.layout.x_min = x_lo;
      p.layout.x_max = x_hi;
      p.x = x_ticks;
    }
    if (!std::holds_alternative<LinePlot>(panels_[i])) {
      const Rect& r = p.layout.plot;
      p.layout.colorbar = {std::round(r.x + r.w + s.cb_gap), r.y, std::round(s.cb_w), r.h};
    }
    y += p.height + p.below + s.panel_gap;
  }

  Canvas canvas(static_cast<int>(width), static_cast<int>(std::ceil(height)));
  if (!options_.title.empty())
    canvas.Text(options_.title, left + plot_w / 2, s.pad, Align::kCenter, Align::kStart, s.title, s.text);
  for (int i = 0; i < n; ++i) {
    std::visit(
        [&](const auto& panel) {
          using T = std::decay_t<decltype(panel)>;
          if constexpr (std::is_same_v<T, Heatmap>) DrawHeatmap(canvas, s, panel, plans[i]);
          if constexpr (std::is_same_v<T, LinePlot>) DrawLines(canvas, s, panel, plans[i]);
          if constexpr (std::is_same_v<T, LabelledMatrix>) DrawMatrix(canvas, s, panel, plans[i]);
        },
        panels_[i]);
  }
  RenderedFigure out;
  out.png = canvas.Png();
  out.width = static_cast<int>(width);
  out.height = static_cast<int>(std::ceil(height));
  for (const PanelPlan& p : plans) out.panels.push_back(p.layout);
  return out;
}

}  // namespace auris::plot
