#include "canvas.h"

#include <numbers>

#include "auris/core/error.h"

#if defined(__SANITIZE_ADDRESS__)
// Fontconfig (under cairo's font selection) keeps its configuration and
// pattern caches for the life of the process, a fixed ~1 KB never freed at
// exit; LeakSanitizer would report it in every program that draws text.
// Linked in whenever a figure is drawn (this file), so every such binary
// gets it.
extern "C" const char* __lsan_default_suppressions() { return "leak:libfontconfig.so\n"; }
#endif

namespace auris::plot {

Canvas::Canvas(int width, int height) {
  surface_ = cairo_image_surface_create(CAIRO_FORMAT_RGB24, width, height);
  cr_ = cairo_create(surface_);
  if (cairo_status(cr_) != CAIRO_STATUS_SUCCESS) {
    const std::string why = cairo_status_to_string(cairo_status(cr_));
    cairo_destroy(cr_);
    cairo_surface_destroy(surface_);
    throw MakeError("cannot create a ", width, "x", height, " image: ", why);
  }
  cairo_font_options_t* fo = cairo_font_options_create();
  cairo_font_options_set_antialias(fo, CAIRO_ANTIALIAS_GRAY);
  cairo_font_options_set_hint_style(fo, CAIRO_HINT_STYLE_SLIGHT);
  cairo_font_options_set_hint_metrics(fo, CAIRO_HINT_METRICS_OFF);
  cairo_set_font_options(cr_, fo);
  cairo_font_options_destroy(fo);
  cairo_set_source_rgb(cr_, 1, 1, 1);
  cairo_paint(cr_);
}

Canvas::~Canvas() {
  cairo_destroy(cr_);
  cairo_surface_destroy(surface_);
}

void Canvas::SetColor(Rgb c, double alpha) {
  cairo_set_source_rgba(cr_, c.r / 255.0, c.g / 255.0, c.b / 255.0, alpha);
}

void Canvas::Line(double x0, double y0, double x1, double y1, Rgb c, double width) {
  SetColor(c);
  cairo_set_line_width(cr_, width);
  cairo_move_to(cr_, x0, y0);
  cairo_line_to(cr_, x1, y1);
  cairo_stroke(cr_);
}

void Canvas::Fill(const Rect& r, Rgb c) {
  SetColor(c);
  cairo_rectangle(cr_, r.x, r.y, r.w, r.h);
  cairo_fill(cr_);
}

void Canvas::Stroke(const Rect& r, Rgb c, double width) {
  SetColor(c);
  cairo_set_line_width(cr_, width);
  cairo_rectangle(cr_, r.x, r.y, r.w, r.h);
  cairo_stroke(cr_);
}

void Canvas::Use(const Font& font) {
  cairo_select_font_face(cr_, "DejaVu Sans", CAIRO_FONT_SLANT_NORMAL,
                         font.bold ? CAIRO_FONT_WEIGHT_BOLD : CAIRO_FONT_WEIGHT_NORMAL);
  cairo_set_font_size(cr_, font.size);
}

double Canvas::TextWidth(const std::string& text, const Font& font) {
  Use(font);
  cairo_text_extents_t e;
  cairo_text_extents(cr_, text.c_str(), &e);
  return e.x_advance;
}

double Canvas::CapHeight(const Font& font) {
  Use(font);
  cairo_text_extents_t e;
  cairo_text_extents(cr_, "H", &e);
  return -e.y_bearing;
}

void Canvas::Text(const std::string& text, double x, double y, Align h, Align v, const Font& font,
                  Rgb c, double angle_deg) {
  const double width = TextWidth(text, font);
  const double cap = CapHeight(font);
  const double dx = h == Align::kStart ? 0 : h == Align::kCenter ? -width / 2 : -width;
  const double dy = v == Align::kStart ? cap : v == Align::kCenter ? cap / 2 : 0;
  cairo_save(cr_);
  cairo_translate(cr_, x, y);
  cairo_rotate(cr_, angle_deg * std::numbers::pi / 180);
  SetColor(c);
  cairo_move_to(cr_, dx, dy);
  cairo_show_text(cr_, text.c_str());
  cairo_restore(cr_);
}

namespace {
cairo_status_t AppendPng(void* closure, const unsigned char* data, unsigned int length) {
  static_cast<std::string*>(closure)->append(reinterpret_cast<const char*>(data), length);
  return CAIRO_STATUS_SUCCESS;
}
}  // namespace

std::string Canvas::Png() {
  cairo_surface_flush(surface_);
  std::string out;
  const cairo_status_t s = cairo_surface_write_to_png_stream(surface_, AppendPng, &out);
  if (s != CAIRO_STATUS_SUCCESS) throw MakeError("PNG encoding failed: ", cairo_status_to_string(s));
  return out;
}

}  // namespace auris::plot
