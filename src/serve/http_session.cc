#include "http_session.h"

#include <cctype>
#include <fstream>
#include <sstream>

#include <boost/beast/websocket.hpp>
#include <nlohmann/json.hpp>

#include "ws_session.h"

namespace auris::serve {

namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;

namespace {

// "/asr?model=x&y=z" -> path "/asr", query value of `key` ("" if absent).
std::string QueryValue(const std::string& target, const std::string& key) {
  const std::size_t q = target.find('?');
  if (q == std::string::npos) return {};
  std::istringstream in(target.substr(q + 1));
  for (std::string kv; std::getline(in, kv, '&');) {
    const std::size_t eq = kv.find('=');
    if (kv.substr(0, eq) == key) return eq == std::string::npos ? std::string() : kv.substr(eq + 1);
  }
  return {};
}

std::string PathOf(const std::string& target) { return target.substr(0, target.find('?')); }

// A file of the demo page: a plain name in web_root (no directories, no dot files).
bool SafeName(const std::string& name) {
  if (name.empty() || name[0] == '.') return false;
  for (char c : name)
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-' || c == '_')) return false;
  return true;
}

std::string ContentType(const std::string& name) {
  const std::string ext = name.substr(name.rfind('.') + 1);
  if (ext == "html") return "text/html; charset=utf-8";
  if (ext == "js") return "text/javascript; charset=utf-8";
  if (ext == "css") return "text/css; charset=utf-8";
  if (ext == "png") return "image/png";
  if (ext == "svg") return "image/svg+xml";
  return "application/octet-stream";
}

std::string ModelsJson(const std::vector<ServedModel>& models) {
  nlohmann::json list = nlohmann::json::array();
  for (const ServedModel& m : models) {
    const bool ctc = m.recognizer->Task() == pipeline::ModelTask::kCtc;
    list.push_back({{"name", m.name}, {"task", ctc ? "transcribe" : "keywords"}, {"rate", m.recognizer->SampleRate()}});
  }
  return nlohmann::json{{"models", list}}.dump();
}

}  // namespace

const ServedModel* ServerCore::FindModel(const std::string& name, std::string* error) const {
  if (name.empty() && models.size() == 1) return &models[0];
  std::string names;
  for (const ServedModel& m : models) {
    if (m.name == name) return &m;
    names += (names.empty() ? "" : ", ") + m.name;
  }
  *error = name.empty() ? "several models are served: choose one with /asr?model=NAME (" + names + ")"
                        : "no model \"" + name + "\" (served: " + names + ")";
  return nullptr;
}

void HttpSession::Start() {
  stream_.expires_after(std::chrono::seconds(10));
  http::async_read(stream_, buffer_, request_,
                   [self = shared_from_this()](beast::error_code ec, std::size_t) { self->OnRead(ec); });
}

void HttpSession::OnRead(beast::error_code ec) {
  if (ec) return;  // bad request or gone: drop the connection
  const std::string path = PathOf(std::string(request_.target()));
  if (beast::websocket::is_upgrade(request_)) {
    if (path == "/asr") return Upgrade();
    return Respond(http::status::not_found, "text/plain", "WebSocket endpoint is /asr\n");
  }
  if (request_.method() != http::verb::get)
    return Respond(http::status::method_not_allowed, "text/plain", "GET only\n");
  if (path == "/healthz") return Respond(http::status::ok, "text/plain", core_.stopping ? "stopping\n" : "ok\n");
  if (path == "/metrics") return Respond(http::status::ok, "text/plain; version=0.0.4", core_.metrics.Prometheus());
  if (path == "/models") return Respond(http::status::ok, "application/json", ModelsJson(core_.models) + "\n");
  const std::string name = path == "/" ? "index.html" : path.substr(1);
  if (!core_.options.web_root.empty() && SafeName(name)) {
    std::ifstream in(core_.options.web_root + "/" + name, std::ios::binary);
    if (in) {
      std::ostringstream body;
      body << in.rdbuf();
      return Respond(http::status::ok, ContentType(name), body.str());
    }
  }
  Respond(http::status::not_found, "text/plain", "not found: " + path + "\n");
}

void HttpSession::Upgrade() {
  std::string error;
  const ServedModel* model = core_.FindModel(QueryValue(std::string(request_.target()), "model"), &error);
  if (core_.open_streams >= core_.options.max_clients) {
    model = nullptr;
    error = "the server is full (" + std::to_string(core_.options.max_clients) + " streams, --max-clients)";
  }
  stream_.expires_never();  // the WebSocket has its own timeouts
  auto ws = std::make_shared<WsSession>(stream_.release_socket(), core_, model, error);
  ws->Start(std::move(request_));
}

void HttpSession::Respond(http::status status, const std::string& type, std::string body) {
  response_ = std::make_shared<http::response<http::string_body>>(status, request_.version());
  response_->set(http::field::server, "auris");
  response_->set(http::field::content_type, type);
  response_->set(http::field::cache_control, "no-store");
  response_->keep_alive(false);
  response_->body() = std::move(body);
  response_->prepare_payload();
  http::async_write(stream_, *response_, [self = shared_from_this()](beast::error_code, std::size_t) {
    beast::error_code ignored;
    self->stream_.socket().shutdown(net::ip::tcp::socket::shutdown_send, ignored);
  });
}

}  // namespace auris::serve
