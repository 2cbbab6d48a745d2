// Internal: the drawing surface of a figure — an RGB cairo image surface
// with the few primitives the panels need (lines, rectangles, aligned and
// rotated text) and PNG encoding. Cairo stays inside src/plot.
#pragma once

#include <cairo.h>

#include <string>

#include "auris/plot/colormap.h"
#include "auris/plot/figure.h"

namespace auris::plot {

enum class Align { kStart, kCenter, kEnd };

struct Font {
  double size = 14;
  bool bold = false;
};

class Canvas {
 public:
  Canvas(int width, int height);  // white
  ~Canvas();
  Canvas(const Canvas&) = delete;
  Canvas& operator=(const Canvas&) = delete;

  cairo_t* cr() { return cr_; }
  void SetColor(Rgb c, double alpha = 1);
  void Line(double x0, double y0, double x1, double y1, Rgb c, double width);
  void Fill(const Rect& r, Rgb c);
  void Stroke(const Rect& r, Rgb c, double width);

  // Horizontal extent of `text` (its advance).
  double TextWidth(const std::string& text, const Font& font);
  // Height of capital letters / digits, for vertical centring.
  double CapHeight(const Font& font);
  // Draws `text` anchored at (x, y): h aligns the advance (start, centre,
  // end), v the cap height (top, middle, baseline). `angle_deg` rotates the
  // text around the anchor (-90: reads upwards).
  void Text(const std::string& text, double x, double y, Align h, Align v, const Font& font, Rgb c,
            double angle_deg = 0);

  std::string Png();  // throws auris::Error on a cairo failure

 private:
  void Use(const Font& font);
  cairo_surface_t* surface_ = nullptr;
  cairo_t* cr_ = nullptr;
};

// Snaps a 1-px line coordinate to a pixel centre, so frames are crisp.
inline double Crisp(double v) { return static_cast<double>(static_cast<long long>(v)) + 0.5; }

}  // namespace auris::plot
