// What every connection of `auris serve` shares (private to src/serve): the
// options, the models, the metrics, the I/O context and the workers'
// scheduler. The
// fields below `I/O thread only` are touched by the I/O thread alone.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include <boost/asio/io_context.hpp>

#include "auris/serve/metrics.h"
#include "auris/serve/server.h"
#include "batch_scheduler.h"

namespace auris::serve {

class WsSession;

struct ServerCore {
  ServerCore(std::vector<ServedModel> m, const ServeOptions& o, int workers)
      : models(std::move(m)), options(o), scheduler(workers, o.max_batch, o.batch_wait_ms, metrics) {}

  // The model ?model=NAME asks for (NAME may be empty with one model), or
  // nullptr with *error saying why.
  const ServedModel* FindModel(const std::string& name, std::string* error) const;

  std::vector<ServedModel> models;
  ServeOptions options;
  Metrics metrics;
  boost::asio::io_context ioc{1};
  BatchScheduler scheduler;  // after ioc and metrics: its workers stop before they go

  // I/O thread only.
  int open_streams = 0;
  bool stopping = false;
  std::vector<std::weak_ptr<WsSession>> sessions;  // for the graceful shutdown
};

}  // namespace auris::serve
