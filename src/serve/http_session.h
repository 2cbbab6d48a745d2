// One HTTP connection of `auris serve`: reads a request and either answers
// it (GET /, the demo page's files, /healthz, /metrics, /models) or, for a
// WebSocket upgrade of /asr, hands the socket to a WsSession.
#pragma once

#include <memory>

#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include "server_core.h"

namespace auris::serve {

class HttpSession : public std::enable_shared_from_this<HttpSession> {
 public:
  HttpSession(boost::asio::ip::tcp::socket socket, ServerCore& core) : stream_(std::move(socket)), core_(core) {}
  void Start();

 private:
  void OnRead(boost::beast::error_code ec);
  void Upgrade();
  void Respond(boost::beast::http::status status, const std::string& type, std::string body);

  boost::beast::tcp_stream stream_;
  ServerCore& core_;
  boost::beast::flat_buffer buffer_;
  boost::beast::http::request<boost::beast::http::string_body> request_;
  std::shared_ptr<boost::beast::http::response<boost::beast::http::string_body>> response_;
};

}  // namespace auris::serve
