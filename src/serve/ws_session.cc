#include "ws_session.h"

#include <boost/asio/post.hpp>
#include <nlohmann/json.hpp>

#include "auris/core/error.h"

namespace auris::serve {

namespace beast = boost::beast;
namespace http = beast::http;
namespace websocket = beast::websocket;
namespace net = boost::asio;

namespace {
// A turn covers at most this much queued audio, so that one client's
// backlog does not hold a worker while others wait.
constexpr std::size_t kMaxBatchBytes = 1 << 16;
}  // namespace

WsSession::WsSession(net::ip::tcp::socket socket, ServerCore& core, const ServedModel* model, std::string error)
    : ws_(std::move(socket)), core_(core), model_(model), accept_error_(std::move(error)), idle_(core.ioc) {}

void WsSession::Start(http::request<http::string_body> request) {
  websocket::stream_base::timeout t{};
  t.handshake_timeout = std::chrono::seconds(5);  // opening and closing handshakes
  t.idle_timeout = websocket::stream_base::none();  // ours: idle_, with an error event
  t.keep_alive_pings = false;
  ws_.set_option(t);
  ws_.set_option(websocket::stream_base::decorator(
      [](websocket::response_type& res) { res.set(http::field::server, "auris"); }));
  ws_.read_message_max(core_.options.max_message_bytes);
  ws_.async_accept(request, [self = shared_from_this()](beast::error_code ec) { self->OnAccept(ec); });
}

void WsSession::OnAccept(beast::error_code ec) {
  if (ec) return;  // not a WebSocket after all; the socket closes with us
  opened_ = true;
  ++core_.open_streams;
  core_.metrics.StreamOpened();
  // Forget the closed sessions first: a weak_ptr keeps a make_shared
  // session's whole memory block, so a long-running server would grow by
  // one session per connection ever made.
  std::erase_if(core_.sessions, [](const std::weak_ptr<WsSession>& w) { return w.expired(); });
  core_.sessions.push_back(weak_from_this());
  if (!model_) {
    if (accept_error_.find("--max-clients") != std::string::npos) core_.metrics.ClientRejected();
    // 1008, not 1013 (try again later): older clients (python3-websocket 1.2) reject 1013.
    Fail(accept_error_, websocket::close_code::policy_error);
    return;
  }
  if (core_.stopping) {
    Fail("the server is shutting down", websocket::close_code::going_away);
    return;
  }
  DoRead();
}

void WsSession::DoRead() {
  if (stop_reading_ || ended_) return;
  idle_.expires_after(std::chrono::duration_cast<Clock::duration>(
      std::chrono::duration<double>(core_.options.idle_timeout_s)));
  idle_.async_wait([weak = weak_from_this()](beast::error_code ec) {
    auto self = weak.lock();
    if (ec || !self || self->ended_ || self->stop_reading_ || self->paused_) return;
    self->Fail("no message for " + std::to_string(self->core_.options.idle_timeout_s) + " s (--idle-timeout)",
               websocket::close_code::policy_error);
  });
  ws_.async_read(buffer_, [self = shared_from_this()](beast::error_code ec, std::size_t n) { self->OnRead(ec, n); });
}

void WsSession::OnRead(beast::error_code ec, std::size_t) {
  idle_.cancel();
  if (ec) {
    if (ec == websocket::error::message_too_big) core_.metrics.ClientError();  // Beast closed with 1009
    // The client's close frame (answering ours, or its own without eof) or a
    // failure: either way the stream is over. (A pending close op would only
    // finish at its timeout, as this read took the close frame.)
    if (ec != websocket::error::closed) ws_.next_layer().close();
    End();
    return;
  }
  if (stop_reading_) return;
  if (ws_.got_text()) OnText(beast::buffers_to_string(buffer_.data()));
  else OnBinary();
  buffer_.consume(buffer_.size());
  if (!paused_) DoRead();
}

void WsSession::OnText(const std::string& text) {
  ClientMessage m;
  try {
    m = ParseClientMessage(text);
  } catch (const Error& e) {
    Fail(e.what(), websocket::close_code::policy_error);
    return;
  }
  if (m.kind == ClientMessage::Kind::kEof) {
    if (!header_) return Fail("{\"eof\": true} before the audio format message", websocket::close_code::policy_error);
    return OnEof();
  }
  if (header_) return Fail("a second audio format message", websocket::close_code::policy_error);
  try {
    engine_ = std::make_unique<StreamEngine>(*model_->recognizer, m.format, m.keywords, m.threshold);
  } catch (const Error& e) {
    return Fail(e.what(), websocket::close_code::policy_error);
  }
  format_ = m.format;
  header_ = true;
  const nlohmann::json info = {{"model", model_->name},
                               {"rate", model_->recognizer->SampleRate()},
                               {"source_rate", format_.sample_rate_hz},
                               {"channels", format_.channels}};
  Send(StatusEventJson("listening", 0, info.dump()));
}

void WsSession::OnBinary() {
  if (!header_) return Fail("binary audio before the audio format message", websocket::close_code::policy_error);
  if (eof_sent_) return Fail("audio after {\"eof\": true}", websocket::close_code::policy_error);
  std::lock_guard lock(mu_);
  const auto data = buffer_.data();
  const auto* p = static_cast<const unsigned char*>(data.data());
  pending_.insert(pending_.end(), p, p + data.size());
  ++pending_messages_;
  newest_ = Clock::now();
  if (pending_.size() > QueueLimitBytes()) paused_ = true;  // back-pressure until the workers catch up
  Schedule();
}

void WsSession::OnEof() {
  eof_sent_ = true;
  stop_reading_ = true;  // async_close reads what is left, up to the client's close frame
  std::lock_guard lock(mu_);
  eof_ = true;
  newest_ = Clock::now();
  Schedule();
}

void WsSession::Shutdown() {
  if (ended_ || closing_ || close_wanted_) return;
  if (!header_) return Fail("the server is shutting down", websocket::close_code::going_away);
  if (!eof_sent_) {
    idle_.cancel();
    OnEof();
  }
}

std::size_t WsSession::QueueLimitBytes() const {
  return static_cast<std::size_t>(core_.options.max_queue_s * format_.sample_rate_hz) *
         static_cast<std::size_t>(format_.BytesPerFrame());
}

void WsSession::Schedule() {
  if (scheduled_ || dead_) return;
  if (pending_.empty() && !(eof_ && !finished_)) return;
  scheduled_ = true;
  core_.scheduler.Add(shared_from_this());
}

bool WsSession::BeginTurn() {
  Turn& t = turn_;
  {
    std::lock_guard lock(mu_);
    if (dead_) {
      scheduled_ = false;
      return false;
    }
    const std::size_t n = std::min(pending_.size(), kMaxBatchBytes);
    t.chunk.assign(pending_.begin(), pending_.begin() + static_cast<std::ptrdiff_t>(n));
    pending_.erase(pending_.begin(), pending_.begin() + static_cast<std::ptrdiff_t>(n));
    if (pending_.empty()) pending_messages_ = 0;
    t.eof = eof_ && pending_.empty();
    t.arrived = newest_;
  }
  t.seen_s = engine_->SecondsSeen();
  t.events.clear();
  t.error.clear();
  try {
    engine_->Push(t.chunk.data(), t.chunk.size(), &t.events);
    if (t.eof) engine_->PushEnd(&t.events);
  } catch (const std::exception& e) {
    t.error = e.what();
  }
  return true;
}

const float* WsSession::AdvanceTurn() {
  if (!turn_.error.empty()) return nullptr;
  try {
    return engine_->Advance(&turn_.events);
  } catch (const std::exception& e) {  // this client alone fails; the batch goes on
    turn_.error = e.what();
    return nullptr;
  }
}

void WsSession::EndTurn() {
  Turn& t = turn_;
  const Clock::time_point now = Clock::now();
  // Latency counts from the newest audio only when this turn took all of it.
  const bool all = t.eof || t.chunk.size() < kMaxBatchBytes;
  core_.metrics.Turn(engine_->SecondsSeen() - t.seen_s, all ? std::chrono::duration<double>(now - t.arrived).count() : -1);
  if (t.eof) {
    const double s = engine_->SecondsSeen();
    const bool ctc = model_->recognizer->Task() == pipeline::ModelTask::kCtc;
    const char* what = ctc ? "utterances" : "keywords";
    char text[96];
    std::snprintf(text, sizeof text, "end of input after %.2f s, %ld %s", s, engine_->Results(), what);
    if (t.error.empty()) t.events.push_back(StatusEventJson(text, s, nlohmann::json{{what, engine_->Results()}}.dump()));
  }
  // Post before unscheduling, so turns' events reach the I/O thread in order.
  net::post(core_.ioc, [self = shared_from_this(), events = std::move(t.events), error = t.error, eof = t.eof]() mutable {
    self->OnBatchDone(std::move(events), std::move(error), eof);
  });
  std::lock_guard lock(mu_);
  scheduled_ = false;
  if (t.eof || !t.error.empty()) finished_ = true;
  if (t.error.empty()) Schedule();
}

void WsSession::OnBatchDone(std::vector<std::string> events, std::string error, bool finished) {
  if (ended_) return;
  for (std::string& e : events) Send(std::move(e));
  if (!error.empty()) return Fail(error, websocket::close_code::bad_payload);
  if (finished) return CloseAfterWrites(websocket::close_code::normal);
  if (paused_) {
    {
      std::lock_guard lock(mu_);
      if (pending_.size() > QueueLimitBytes() / 2) return;
    }
    paused_ = false;
    DoRead();  // reading was paused (back-pressure): resume it
  }
}

void WsSession::Send(std::string text) {
  if (ended_ || closing_) return;
  out_.push_back(std::move(text));
  if (out_.size() > core_.options.max_send_queue) {
    // It stopped reading: waiting for it would hold its audio and events forever.
    core_.metrics.SlowConsumer();
    ws_.next_layer().close();
    return End();
  }
  if (!writing_) DoWrite();
}

void WsSession::DoWrite() {
  writing_ = true;
  ws_.text(true);
  ws_.async_write(net::buffer(out_.front()), [self = shared_from_this()](beast::error_code ec, std::size_t) {
    self->writing_ = false;
    if (ec || self->ended_) return self->End();
    self->out_.pop_front();
    if (!self->out_.empty()) self->DoWrite();
    else if (self->close_wanted_) self->DoClose();
  });
}

void WsSession::Fail(const std::string& message, websocket::close_code code) {
  if (ended_ || close_wanted_) return;
  core_.metrics.ClientError();
  stop_reading_ = true;
  idle_.cancel();
  {
    std::lock_guard lock(mu_);
    dead_ = true;  // the workers drop its audio
  }
  Send(ErrorEventJson(message));
  CloseAfterWrites(code);
}

void WsSession::CloseAfterWrites(websocket::close_code code) {
  if (ended_ || close_wanted_) return;
  close_wanted_ = true;
  close_code_ = code;
  if (!writing_) DoClose();
}

void WsSession::DoClose() {
  closing_ = true;
  Release();  // a closing stream no longer counts against --max-clients
  ws_.async_close(close_code_, [self = shared_from_this()](beast::error_code) { self->End(); });
}

void WsSession::End() {
  if (ended_) return;
  ended_ = true;
  idle_.cancel();
  std::int64_t dropped = 0;
  {
    std::lock_guard lock(mu_);
    dead_ = true;
    dropped = pending_messages_;
    pending_.clear();
    pending_messages_ = 0;
  }
  if (dropped > 0) core_.metrics.DroppedFrames(dropped);
  Release();
}

void WsSession::Release() {
  if (!opened_) return;
  opened_ = false;
  --core_.open_streams;
  core_.metrics.StreamClosed();
}

}  // namespace auris::serve
