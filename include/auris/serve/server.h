// `auris serve`: streaming recognition over WebSocket (protocol.h) and HTTP
// (GET / and static files of the demo page, /healthz, /metrics, /models).
// One I/O thread runs every socket (Boost.Beast / Asio); a fixed pool of
// worker threads runs the recognition, each taking the clients whose audio
// is ready and stepping their networks together (up to max_batch, one pass
// over the weights), so a slow model step never stalls the network and a
// flood from one client only fills its own bounded queue (back-pressure: the
// server stops reading that socket). Models are shared read-only by all streams.
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <vector>

#include "auris/pipeline/recognizer.h"

namespace auris::serve {

struct ServeOptions {
  std::string host = "127.0.0.1";
  int port = 8080;                  // 0: any free port (Server::Port says which)
  int max_clients = 256;            // open WebSocket streams; more get an error and a close
  std::size_t max_message_bytes = 1 << 20;  // one WebSocket message
  double idle_timeout_s = 30;       // no message for this long: error and close
  int num_threads = 0;              // recognition workers; 0: one per core
  int max_batch = 16;               // clients whose networks step together (1..16; 1: each alone)
  double batch_wait_ms = 0;         // a worker waits this long for a batch to fill (0..1000; 0: takes what is ready)
  double max_queue_s = 10;          // a client's audio waiting for the workers before the server stops reading it
  std::size_t max_send_queue = 4096;  // events waiting for a client that does not read: then it is dropped
  double shutdown_timeout_s = 10;   // SIGTERM: longest wait for open streams' finals
  std::string web_root;             // directory of the demo page (index.html); empty: no page

  void Validate() const;  // throws auris::Error naming the option
};

struct ServedModel {
  std::string name;  // ?model=NAME (the model file's stem)
  const pipeline::Recognizer* recognizer = nullptr;  // outlives the server
};

class Server {
 public:
  // Binds and listens. Throws auris::Error naming HOST:PORT if it cannot,
  // or naming a model that cannot stream.
  Server(std::vector<ServedModel> models, const ServeOptions& options);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  int Port() const;
  // Serves until SIGINT / SIGTERM or Stop(), then shuts down gracefully:
  // no new clients; open streams end as if the client had sent eof (their
  // finals, then a close), at most shutdown_timeout_s.
  void Run();
  // Thread-safe: starts the graceful shutdown.
  void Stop();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace auris::serve
