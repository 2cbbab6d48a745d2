#include "auris/serve/server.h"

#include <csignal>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>

#include "auris/core/error.h"
#include "auris/core/thread_pool.h"
#include "auris/serve/stream_engine.h"
#include "http_session.h"
#include "ws_session.h"

namespace auris::serve {

namespace net = boost::asio;
using tcp = net::ip::tcp;

void ServeOptions::Validate() const {
  if (port < 0 || port > 65535) throw MakeError("--port ", port, " is not in 0..65535");
  if (max_clients < 1) throw MakeError("--max-clients ", max_clients, " must be at least 1");
  if (max_message_bytes < 1024) throw MakeError("--max-message-bytes ", max_message_bytes, " must be at least 1024");
  if (!(idle_timeout_s > 0)) throw MakeError("--idle-timeout ", idle_timeout_s, " must be > 0");
  if (num_threads < 0) throw MakeError("--num-threads ", num_threads, " must be >= 0");
  if (max_batch < 1 || max_batch > 16) throw MakeError("--max-batch ", max_batch, " is not in 1..16");
  if (!(batch_wait_ms >= 0 && batch_wait_ms <= 1000))
    throw MakeError("--batch-wait-ms ", batch_wait_ms, " is not in 0..1000");
  if (!(max_queue_s > 0)) throw MakeError("--max-queue-seconds ", max_queue_s, " must be > 0");
  if (max_send_queue < 1) throw Error("--max-send-queue must be at least 1");
}

struct Server::Impl {
  Impl(std::vector<ServedModel> models, const ServeOptions& o)
      : core(std::move(models), o, o.num_threads > 0 ? o.num_threads : ThreadPool::HardwareThreads()),
        acceptor(core.ioc),
        signals(core.ioc, SIGINT, SIGTERM),
        drain(core.ioc) {}

  void Listen() {
    boost::system::error_code ec;
    const net::ip::address address = net::ip::make_address(core.options.host, ec);
    if (ec) throw MakeError("--host ", core.options.host, ": not an IP address (", ec.message(), ")");
    const tcp::endpoint endpoint(address, static_cast<unsigned short>(core.options.port));
    acceptor.open(endpoint.protocol(), ec);
    if (!ec) acceptor.set_option(net::socket_base::reuse_address(true), ec);
    if (!ec) acceptor.bind(endpoint, ec);
    if (!ec) acceptor.listen(net::socket_base::max_listen_connections, ec);
    if (ec) throw MakeError("cannot listen on ", core.options.host, ":", core.options.port, ": ", ec.message());
  }

  void Accept() {
    acceptor.async_accept([this](boost::system::error_code ec, tcp::socket socket) {
      if (core.stopping) return;
      if (!ec) std::make_shared<HttpSession>(std::move(socket), core)->Start();
      Accept();
    });
  }

  // I/O thread: stop accepting, end every open stream as if it sent eof,
  // and stop once they are closed (or the timeout passed).
  void BeginShutdown() {
    if (core.stopping) return;
    core.stopping = true;
    boost::system::error_code ignored;
    acceptor.close(ignored);
    signals.cancel(ignored);
    for (const std::weak_ptr<WsSession>& w : core.sessions)
      if (auto s = w.lock()) s->Shutdown();
    deadline = std::chrono::steady_clock::now() + std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                                                      std::chrono::duration<double>(core.options.shutdown_timeout_s));
    WaitForStreams();
  }

  void WaitForStreams() {
    if (core.open_streams <= 0 || std::chrono::steady_clock::now() >= deadline) return core.ioc.stop();
    drain.expires_after(std::chrono::milliseconds(20));
    drain.async_wait([this](boost::system::error_code) { WaitForStreams(); });
  }

  ServerCore core;
  tcp::acceptor acceptor;
  net::signal_set signals;
  net::steady_timer drain;
  std::chrono::steady_clock::time_point deadline;
};

Server::Server(std::vector<ServedModel> models, const ServeOptions& options) {
  options.Validate();
  if (models.empty()) throw Error("no model to serve");
  for (const ServedModel& m : models) {
    try {
      StreamEngine check(*m.recognizer, AudioFormat{.sample_rate_hz = m.recognizer->SampleRate()});
    } catch (const Error& e) {
      throw MakeError(m.name, ": cannot stream: ", e.what());
    }
  }
  impl_ = std::make_unique<Impl>(std::move(models), options);
  impl_->Listen();
}

Server::~Server() = default;

int Server::Port() const { return impl_->acceptor.local_endpoint().port(); }

void Server::Run() {
  impl_->signals.async_wait([this](boost::system::error_code ec, int) {
    if (!ec) impl_->BeginShutdown();
  });
  impl_->Accept();
  impl_->core.ioc.run();
}

void Server::Stop() {
  net::post(impl_->core.ioc, [this] { impl_->BeginShutdown(); });
}

}  // namespace auris::serve
