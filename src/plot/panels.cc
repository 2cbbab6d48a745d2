// Drawing of the three panel kinds into the plan Figure::Render made.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <numbers>

#include "auris/core/error.h"

#include "layout.h"

namespace auris::plot {
namespace {

std::uint32_t Packed(Rgb c) { return (std::uint32_t{c.r} << 16) | (std::uint32_t{c.g} << 8) | c.b; }

double Fraction(double v, double lo, double hi) { return (v - lo) / (hi - lo); }

// Averages blocks of cells (NaN-aware) so that the matrix has at most
// `max_rows` x `max_cols` cells: an image at most twice the plot area, and
// always within cairo's 32767-pixel limit however long the recording.
Matrix Shrink(const Matrix& m, int max_rows, int max_cols) {
  const Eigen::Index fr = (m.rows() + max_rows - 1) / max_rows, fc = (m.cols() + max_cols - 1) / max_cols;
  if (fr <= 1 && fc <= 1) return m;
  Matrix out((m.rows() + fr - 1) / fr, (m.cols() + fc - 1) / fc);
  for (Eigen::Index i = 0; i < out.rows(); ++i)
    for (Eigen::Index j = 0; j < out.cols(); ++j) {
      double sum = 0;
      int n = 0;
      for (Eigen::Index a = i * fr; a < std::min(m.rows(), (i + 1) * fr); ++a)
        for (Eigen::Index b = j * fc; b < std::min(m.cols(), (j + 1) * fc); ++b)
          if (!std::isnan(m(a, b))) sum += m(a, b), ++n;
      out(i, j) = n ? static_cast<float>(sum / n) : std::numeric_limits<float>::quiet_NaN();
    }
  return out;
}

}  // namespace

void DrawHeatmap(Canvas& c, const Style& s, const Heatmap& h, const PanelPlan& p) {
  const Rect& r = p.layout.plot;
  const Matrix values = Shrink(h.values, std::max(1, static_cast<int>(2 * r.h)), std::max(1, static_cast<int>(2 * r.w)));
  const int rows = static_cast<int>(values.rows()), cols = static_cast<int>(values.cols());
  // The matrix as an image, one pixel per cell (row 0 at the bottom), then
  // scaled onto the plot area: nearest neighbour when enlarging keeps cells
  // sharp; a smoothing filter when shrinking averages instead of skipping.
  cairo_surface_t* img = cairo_image_surface_create(CAIRO_FORMAT_RGB24, cols, rows);
  if (const cairo_status_t status = cairo_surface_status(img); status != CAIRO_STATUS_SUCCESS) {
    cairo_surface_destroy(img);
    throw MakeError("heatmap image of ", cols, "x", rows, " cells: ", cairo_status_to_string(status));
  }
  cairo_surface_flush(img);
  unsigned char* data = cairo_image_surface_get_data(img);
  const int stride = cairo_image_surface_get_stride(img);
  for (int i = 0; i < rows; ++i) {
    auto* line = reinterpret_cast<std::uint32_t*>(data + static_cast<std::size_t>(rows - 1 - i) * stride);
    for (int j = 0; j < cols; ++j) {
      const double v = values(i, j);
      line[j] = Packed(std::isnan(v) ? s.missing : Viridis(Fraction(v, p.layout.v_min, p.layout.v_max)));
    }
  }
  cairo_surface_mark_dirty(img);
  cairo_t* cr = c.cr();
  cairo_save(cr);
  cairo_rectangle(cr, r.x, r.y, r.w, r.h);
  cairo_clip(cr);
  cairo_translate(cr, r.x, r.y);
  cairo_scale(cr, r.w / cols, r.h / rows);
  cairo_set_source_surface(cr, img, 0, 0);
  cairo_pattern_t* pattern = cairo_get_source(cr);
  cairo_pattern_set_extend(pattern, CAIRO_EXTEND_PAD);
  cairo_pattern_set_filter(pattern, r.w >= cols && r.h >= rows ? CAIRO_FILTER_NEAREST : CAIRO_FILTER_GOOD);
  cairo_paint(cr);
  cairo_restore(cr);
  cairo_surface_destroy(img);

  DrawFrame(c, s, r);
  DrawXAxis(c, s, p, h.x_label);
  DrawYAxis(c, s, p, h.y_label);
  DrawColorbar(c, s, p, h.value_label);
}

void DrawLines(Canvas& c, const Style& s, const LinePlot& l, const PanelPlan& p) {
  const Rect& r = p.layout.plot;
  const auto px = [&](double x) { return MapTo(x, p.layout.x_min, p.layout.x_max, r.x, r.x + r.w); };
  const auto py = [&](double y) { return MapTo(y, p.layout.y_min, p.layout.y_max, r.y + r.h, r.y); };
  for (double v : p.y.values) c.Line(r.x, Crisp(py(v)), r.x + r.w, Crisp(py(v)), s.grid, 1);
  for (double v : p.x.values) c.Line(Crisp(px(v)), r.y, Crisp(px(v)), r.y + r.h, s.grid, 1);

  cairo_t* cr = c.cr();
  cairo_save(cr);
  cairo_rectangle(cr, r.x, r.y, r.w, r.h);
  cairo_clip(cr);
  cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND);
  cairo_set_line_cap(cr, CAIRO_LINE_CAP_ROUND);
  for (std::size_t k = 0; k < l.series.size(); ++k) {
    const Series& ser = l.series[k];
    c.SetColor(SeriesColor(static_cast<int>(k)));
    cairo_set_line_width(cr, s.line_w);
    bool pen_down = false;
    for (std::size_t i = 0; i < ser.x.size(); ++i) {
      if (!std::isfinite(ser.y[i])) {
        pen_down = false;
        continue;
      }
      if (pen_down) {
        cairo_line_to(cr, px(ser.x[i]), py(ser.y[i]));
      } else {
        cairo_move_to(cr, px(ser.x[i]), py(ser.y[i]));
        cairo_line_to(cr, px(ser.x[i]), py(ser.y[i]));  // a lone point still shows (round cap)
      }
      pen_down = true;
    }
    cairo_stroke(cr);
    if (!l.markers) continue;
    for (std::size_t i = 0; i < ser.x.size(); ++i) {
      if (!std::isfinite(ser.y[i])) continue;
      cairo_new_sub_path(cr);
      cairo_arc(cr, px(ser.x[i]), py(ser.y[i]), s.marker_r, 0, 2 * std::numbers::pi);
    }
    cairo_fill(cr);
  }
  cairo_restore(cr);

  DrawFrame(c, s, r);
  DrawXAxis(c, s, p, l.x_label);
  DrawYAxis(c, s, p, l.y_label);

  // Legend: one row above the plot area, right-aligned, never over the data.
  const double seg = 1.8 * s.legend.size, spacing = 1.3 * s.legend.size;
  double total = 0;
  for (const Series& ser : l.series)
    if (!ser.name.empty()) total += seg + s.gap + c.TextWidth(ser.name, s.legend) + spacing;
  double x = r.x + r.w - (total - spacing);
  const double y = r.y - s.legend_h / 2;
  for (std::size_t k = 0; k < l.series.size(); ++k) {
    const Series& ser = l.series[k];
    if (ser.name.empty()) continue;
    const Rgb col = SeriesColor(static_cast<int>(k));
    c.Line(x, y, x + seg, y, col, s.line_w);
    if (l.markers) {
      c.SetColor(col);
      cairo_arc(cr, x + seg / 2, y, s.marker_r, 0, 2 * std::numbers::pi);
      cairo_fill(cr);
    }
    x += seg + s.gap;
    c.Text(ser.name, x, y, Align::kStart, Align::kCenter, s.legend, s.text);
    x += c.TextWidth(ser.name, s.legend) + spacing;
  }
}

void DrawMatrix(Canvas& c, const Style& s, const LabelledMatrix& m, const PanelPlan& p) {
  const Rect& r = p.layout.plot;
  const int rows = static_cast<int>(m.values.rows()), cols = static_cast<int>(m.values.cols());
  const double cell = r.w / cols;
  const Rgb white{255, 255, 255};
  // The numbers: one font size for all cells, as large as the widest fits.
  std::vector<std::string> text(static_cast<std::size_t>(rows) * cols);
  Font font = s.tick;
  font.size = std::min(s.tick.size, 0.4 * cell);
  double widest = 0;
  for (int i = 0; i < rows; ++i)
    for (int j = 0; j < cols; ++j) {
      char buf[64];
      std::snprintf(buf, sizeof buf, "%.*f", m.decimals, static_cast<double>(m.values(i, j)));
      text[static_cast<std::size_t>(i) * cols + j] = buf;
      widest = std::max(widest, c.TextWidth(buf, font));
    }
  if (widest > 0.85 * cell) font.size *= 0.85 * cell / widest;

  for (int i = 0; i < rows; ++i) {
    const double row_sum = m.values.row(i).sum();
    for (int j = 0; j < cols; ++j) {
      const double v = m.values(i, j);
      const double t = m.colour_by_row_fraction ? (row_sum > 0 ? v / row_sum : 0)
                                                : Fraction(v, p.layout.v_min, p.layout.v_max);
      const Rect cr{r.x + j * cell, r.y + i * cell, cell, cell};
      c.Fill(cr, Viridis(t));
      // Light text on the dark half of the colour map, dark on the light half.
      const Rgb ink = t < 0.5 ? white : s.text;
      c.Text(text[static_cast<std::size_t>(i) * cols + j], cr.x + cell / 2, cr.y + cell / 2, Align::kCenter,
             Align::kCenter, font, ink);
    }
  }
  DrawFrame(c, s, r);

  for (int i = 0; i < rows; ++i) {
    const double y = Crisp(r.y + (i + 0.5) * cell);
    c.Line(r.x - s.tick_len, y, r.x, y, s.axis, 1);
    c.Text(m.row_labels[i], r.x - s.tick_len - s.gap, y, Align::kEnd, Align::kCenter, s.tick, s.text);
  }
  const double bottom = r.y + r.h;
  for (int j = 0; j < cols; ++j) {
    const double x = Crisp(r.x + (j + 0.5) * cell);
    c.Line(x, bottom, x, bottom + s.tick_len, s.axis, 1);
    if (p.rotate_cols)
      c.Text(m.col_labels[j], x, bottom + s.tick_len + s.gap, Align::kEnd, Align::kCenter, s.tick, s.text, -45);
    else
      c.Text(m.col_labels[j], x, bottom + s.tick_len + s.gap, Align::kCenter, Align::kStart, s.tick, s.text);
  }
  if (!m.col_title.empty())
    c.Text(m.col_title, r.x + r.w / 2, bottom + s.tick_len + s.gap + p.col_labels_h + s.gap, Align::kCenter,
           Align::kStart, s.label, s.text);
  if (!m.row_title.empty())
    c.Text(m.row_title, p.y_label_x, r.y + r.h / 2, Align::kCenter, Align::kCenter, s.label, s.text, -90);
  DrawColorbar(c, s, p, m.value_label);
}

}  // namespace auris::plot
