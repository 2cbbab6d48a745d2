// The client side of `auris serve`'s WebSocket protocol (close to
// sherpa-onnx's): a first text message {"sample_rate": R, "format":
// "s16le"|"f32le", "channels": C} (with a CTC model also "keywords":
// ["WORD" or "WORD=LABEL", ...] and "threshold": P, as `auris live
// --keywords --threshold`), then binary audio of any size, then the
// text {"eof": true}. Everything the server says is a JSON text message: the
// records of `auris live --json` (pipeline/live_json.h), "status", and
// {"type": "error", "text"} before it closes on a bad client.
#pragma once

#include <string>
#include <vector>

namespace auris::serve {

struct AudioFormat {
  enum class Encoding { kS16le, kF32le };  // f32le: floats in [-1, 1], as Web Audio gives them
  double sample_rate_hz = 0;
  Encoding encoding = Encoding::kS16le;
  int channels = 1;  // interleaved, averaged to mono

  int BytesPerFrame() const { return channels * (encoding == Encoding::kS16le ? 2 : 4); }
};

struct ClientMessage {
  enum class Kind { kFormat, kEof };
  Kind kind = Kind::kFormat;
  AudioFormat format;  // kFormat only
  // kFormat, optional: keywords among a CTC model's words and the lowest
  // word confidence reported (pipeline/transcript_keywords.h).
  std::vector<std::string> keywords;
  double threshold = 0;
};

// Parses a text message of the client. Throws auris::Error saying what is
// wrong (not JSON, unknown message, a field missing or out of range).
ClientMessage ParseClientMessage(const std::string& text);

// {"type": "error", "text": message}
std::string ErrorEventJson(const std::string& message);
// {"type": "status", "text", "end": seconds, ...extra_json_object's fields}
std::string StatusEventJson(const std::string& text, double end_s, const std::string& extra_json_object = "{}");

}  // namespace auris::serve
