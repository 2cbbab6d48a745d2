#include "auris/serve/protocol.h"

#include <nlohmann/json.hpp>

#include "auris/core/error.h"

namespace auris::serve {
namespace {

// Highest rate accepted: far above any microphone, low enough that a typo
// (e.g. bytes per second) is caught.
constexpr double kMaxRateHz = 384000;
constexpr int kMaxChannels = 32;
// Far above any real list: a bound on what one header can make the server hold.
constexpr std::size_t kMaxKeywords = 256;
constexpr std::size_t kMaxKeywordBytes = 64;

void ParseKeywords(const nlohmann::json& j, ClientMessage* m) {
  if (const auto k = j.find("keywords"); k != j.end()) {
    if (!k->is_array() || k->empty() || k->size() > kMaxKeywords)
      throw MakeError("\"keywords\" must be an array of 1..", kMaxKeywords,
                      " strings, e.g. [\"yes\", \"oh=zero\"]");
    for (const nlohmann::json& w : *k) {
      if (!w.is_string() || w.get_ref<const std::string&>().empty() ||
          w.get_ref<const std::string&>().size() > kMaxKeywordBytes)
        throw MakeError("\"keywords\": ", w.dump().substr(0, 80), " is not a string of 1..", kMaxKeywordBytes, " bytes");
      m->keywords.push_back(w.get<std::string>());
    }
  }
  if (const auto t = j.find("threshold"); t != j.end()) {
    if (m->keywords.empty()) throw Error("\"threshold\" is for \"keywords\"");
    if (!t->is_number() || !(t->get<double>() >= 0 && t->get<double>() <= 1))
      throw MakeError("\"threshold\" ", t->dump().substr(0, 40), " is not a number in [0, 1]");
    m->threshold = t->get<double>();
  }
}

AudioFormat ParseFormat(const nlohmann::json& j) {
  AudioFormat f;
  const auto rate = j.find("sample_rate");
  if (rate == j.end() || !rate->is_number())
    throw Error("the first message must give \"sample_rate\" as a number, e.g. {\"sample_rate\": 16000}");
  f.sample_rate_hz = rate->get<double>();
  if (!(f.sample_rate_hz >= 1000 && f.sample_rate_hz <= kMaxRateHz))
    throw MakeError("sample_rate ", f.sample_rate_hz, " is outside 1000..", kMaxRateHz, " Hz");
  if (const auto fmt = j.find("format"); fmt != j.end()) {
    const std::string s = fmt->is_string() ? fmt->get<std::string>() : fmt->dump();
    if (s == "s16le") f.encoding = AudioFormat::Encoding::kS16le;
    else if (s == "f32le") f.encoding = AudioFormat::Encoding::kF32le;
    else throw MakeError("format ", s, " is not supported (s16le or f32le)");
  }
  if (const auto ch = j.find("channels"); ch != j.end()) {
    if (!ch->is_number_integer() || ch->get<long long>() < 1 || ch->get<long long>() > kMaxChannels)
      throw MakeError("channels ", ch->dump(), " is not an integer in 1..", kMaxChannels);
    f.channels = ch->get<int>();
  }
  return f;
}

}  // namespace

ClientMessage ParseClientMessage(const std::string& text) {
  const nlohmann::json j = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded()) throw Error("malformed JSON in a text message");
  if (!j.is_object()) throw Error("a text message must be a JSON object");
  ClientMessage m;
  if (const auto eof = j.find("eof"); eof != j.end()) {
    if (*eof != true) throw Error("\"eof\" must be true");
    m.kind = ClientMessage::Kind::kEof;
    return m;
  }
  m.format = ParseFormat(j);
  ParseKeywords(j, &m);
  return m;
}

std::string ErrorEventJson(const std::string& message) {
  return nlohmann::json{{"type", "error"}, {"text", message}}.dump();
}

std::string StatusEventJson(const std::string& text, double end_s, const std::string& extra_json_object) {
  nlohmann::json j = nlohmann::json::parse(extra_json_object);
  j.update(nlohmann::json{{"type", "status"}, {"text", text}, {"end", end_s}});
  return j.dump();
}

}  // namespace auris::serve
