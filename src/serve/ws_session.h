// One WebSocket client of `auris serve` (protocol.h). The I/O thread reads
// messages, queues the audio and writes events; a worker runs the queued
// audio through the client's StreamEngine in turns (a BatchJob: its network
// may step with other clients'), and posts the events back to the I/O thread. A full audio queue pauses reading
// (back-pressure); a client that stops reading our events is dropped once
// max_send_queue of them wait.
#pragma once

#include <chrono>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket.hpp>

#include "auris/serve/stream_engine.h"
#include "batch_scheduler.h"
#include "server_core.h"

namespace auris::serve {

class WsSession : public std::enable_shared_from_this<WsSession>, public BatchJob {
 public:
  using Clock = std::chrono::steady_clock;

  // `model` null: the upgrade is accepted only to send `error` and close.
  WsSession(boost::asio::ip::tcp::socket socket, ServerCore& core, const ServedModel* model, std::string error);
  void Start(boost::beast::http::request<boost::beast::http::string_body> request);
  // Server shutdown: end the stream as if the client had sent eof.
  void Shutdown();

 private:
  void OnAccept(boost::beast::error_code ec);
  void DoRead();
  void OnRead(boost::beast::error_code ec, std::size_t bytes);
  void OnText(const std::string& text);
  void OnBinary();
  void OnEof();
  void Schedule();  // a worker turn, unless one is waiting or running (mu_ held)
  // BatchJob: worker thread.
  const void* BatchKey() const override { return model_->recognizer; }
  bool BeginTurn() override;
  const float* AdvanceTurn() override;
  nn::ModelStream& TurnNetwork() override { return engine_->Network(); }
  void EndTurn() override;
  void OnBatchDone(std::vector<std::string> events, std::string error, bool finished);

  void Send(std::string text);
  void DoWrite();
  void Fail(const std::string& message, boost::beast::websocket::close_code code);
  void CloseAfterWrites(boost::beast::websocket::close_code code);
  void DoClose();
  void End();      // the connection is gone (once)
  void Release();  // no longer an open stream (once): closing or gone
  std::size_t QueueLimitBytes() const;

  boost::beast::websocket::stream<boost::beast::tcp_stream> ws_;
  ServerCore& core_;
  const ServedModel* model_;
  std::string accept_error_;
  boost::beast::flat_buffer buffer_;
  boost::asio::steady_timer idle_;

  // I/O thread only.
  AudioFormat format_;
  bool header_ = false, eof_sent_ = false, paused_ = false, stop_reading_ = false;
  bool writing_ = false, close_wanted_ = false, closing_ = false, ended_ = false, opened_ = false;
  boost::beast::websocket::close_code close_code_ = boost::beast::websocket::close_code::normal;
  std::deque<std::string> out_;

  // Shared with the worker.
  std::mutex mu_;
  std::vector<unsigned char> pending_;   // audio bytes not yet processed
  std::int64_t pending_messages_ = 0;
  Clock::time_point newest_;             // arrival of the newest pending audio or eof
  bool eof_ = false, finished_ = false, scheduled_ = false, dead_ = false;

  // Worker only (engine_ created on the I/O thread before the first turn).
  std::unique_ptr<StreamEngine> engine_;
  struct Turn {
    std::vector<unsigned char> chunk;  // the audio taken from pending_
    bool eof = false;
    Clock::time_point arrived;
    double seen_s = 0;                 // engine_->SecondsSeen() before
    std::vector<std::string> events;
    std::string error;
  } turn_;
};

}  // namespace auris::serve
