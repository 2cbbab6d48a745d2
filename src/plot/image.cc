#include "auris/plot/image.h"

#include <cairo.h>

#include <cstring>

#include "auris/core/error.h"

namespace auris::plot {
namespace {

struct Reader {
  const std::string* bytes;
  std::size_t pos = 0;
};

cairo_status_t ReadChunk(void* closure, unsigned char* data, unsigned int length) {
  auto* r = static_cast<Reader*>(closure);
  if (r->bytes->size() - r->pos < length) return CAIRO_STATUS_READ_ERROR;
  std::memcpy(data, r->bytes->data() + r->pos, length);
  r->pos += length;
  return CAIRO_STATUS_SUCCESS;
}

// Premultiplied channel c with alpha a, composited over white.
std::uint8_t OverWhite(std::uint32_t c, std::uint32_t a) { return static_cast<std::uint8_t>(c + (255 - a)); }

}  // namespace

Image DecodePng(const std::string& bytes, const std::string& name) {
  static const char kSignature[] = "\x89PNG\r\n\x1a\n";
  if (bytes.size() < 8 || bytes.compare(0, 8, kSignature, 8) != 0)
    throw MakeError(name, ": not a PNG image (bad signature)");
  Reader reader{&bytes};
  cairo_surface_t* s = cairo_image_surface_create_from_png_stream(ReadChunk, &reader);
  if (cairo_surface_status(s) != CAIRO_STATUS_SUCCESS) {
    const std::string why = cairo_status_to_string(cairo_surface_status(s));
    cairo_surface_destroy(s);
    throw MakeError(name, ": not a readable PNG image (", why, ")");
  }
  cairo_surface_flush(s);
  const cairo_format_t format = cairo_image_surface_get_format(s);
  Image img;
  img.width = cairo_image_surface_get_width(s);
  img.height = cairo_image_surface_get_height(s);
  const int stride = cairo_image_surface_get_stride(s);
  const unsigned char* data = cairo_image_surface_get_data(s);
  if (format != CAIRO_FORMAT_ARGB32 && format != CAIRO_FORMAT_RGB24) {
    cairo_surface_destroy(s);
    throw MakeError(name, ": unsupported PNG pixel format");
  }
  img.pixels.resize(static_cast<std::size_t>(img.width) * img.height);
  for (int y = 0; y < img.height; ++y) {
    const auto* row = reinterpret_cast<const std::uint32_t*>(data + static_cast<std::size_t>(y) * stride);
    for (int x = 0; x < img.width; ++x) {
      const std::uint32_t p = row[x];
      const std::uint32_t a = format == CAIRO_FORMAT_ARGB32 ? p >> 24 : 255;
      img.pixels[static_cast<std::size_t>(y) * img.width + x] = {
          OverWhite((p >> 16) & 0xff, a), OverWhite((p >> 8) & 0xff, a), OverWhite(p & 0xff, a)};
    }
  }
  cairo_surface_destroy(s);
  return img;
}

}  // namespace auris::plot
