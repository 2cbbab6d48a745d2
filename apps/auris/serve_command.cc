// auris serve: streaming recognition for many clients over WebSocket, with
// a browser microphone demo page (serve/server.h, README "auris serve").
#include <cstdio>
#include <filesystem>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "auris/core/error.h"
#include "auris/pipeline/recognizer.h"
#include "auris/serve/server.h"
#include "commands.h"

namespace auris::cli {
namespace {

struct ServeArgs {
  std::vector<std::string> models;
  serve::ServeOptions options;
  bool int8 = false;
};

std::string DefaultWebRoot() {
  for (const char* dir : {AURIS_WEB_DIR, AURIS_INSTALLED_WEB_DIR})
    if (std::filesystem::exists(std::filesystem::path(dir) / "index.html")) return dir;
  return {};
}

int Run(ServeArgs a) {
  std::vector<std::unique_ptr<pipeline::Recognizer>> recognizers;
  std::vector<serve::ServedModel> served;
  std::set<std::string> names;
  for (const std::string& path : a.models) {
    const std::string name = std::filesystem::path(path).stem().string();
    if (!names.insert(name).second)
      throw MakeError(path, ": a second model named \"", name, "\" (?model= uses the file's stem)");
    recognizers.push_back(std::make_unique<pipeline::Recognizer>(pipeline::Recognizer::Load(path)));
    recognizers.back()->SetInt8Step(a.int8);
    served.push_back({name, recognizers.back().get()});
  }
  if (a.options.web_root.empty()) a.options.web_root = DefaultWebRoot();
  serve::Server server(served, a.options);
  std::string list;
  for (const serve::ServedModel& m : served) list += (list.empty() ? "" : ", ") + m.name;
  std::fprintf(stderr, "auris serve: listening on http://%s:%d/ (WebSocket /asr; models: %s)\n",
               a.options.host.c_str(), server.Port(), list.c_str());
  std::fflush(stderr);
  server.Run();
  std::fprintf(stderr, "auris serve: stopped\n");
  return 0;
}

void RegisterServe(CLI::App& app, Registry& registry) {
  auto a = std::make_shared<ServeArgs>();
  serve::ServeOptions& o = a->options;
  CLI::App* cmd = app.add_subcommand(
      "serve",
      "Streaming recognition server: WebSocket ws://HOST:PORT/asr?model=NAME (NAME: a model file's\n"
      "stem; optional with one model). The client sends {\"sample_rate\": R, \"format\": \"s16le\"|\"f32le\",\n"
      "\"channels\": C}, then binary audio of any size, then {\"eof\": true}; the server sends the JSON\n"
      "events of auris live --json (partial, final, keyword, status; error before closing on a bad\n"
      "client) and closes after the last final. GET / is a microphone demo page, /healthz, /metrics\n"
      "(Prometheus text), /models. SIGINT / SIGTERM: open streams get their finals, then it exits.");
  cmd->add_option("-m,--model", a->models, "Model file to serve (repeatable)")->required();
  cmd->add_option("--host", o.host, "Address to listen on (0.0.0.0: every interface)")->default_val(o.host);
  cmd->add_option("--port", o.port, "TCP port (0: any free port, printed)")->default_val(o.port);
  cmd->add_option("--max-clients", o.max_clients, "Open streams at most; more get an error and a close")
      ->default_val(o.max_clients);
  cmd->add_option("--max-message-bytes", o.max_message_bytes, "Largest WebSocket message; larger: closed (1009)")
      ->default_val(o.max_message_bytes);
  cmd->add_option("--idle-timeout", o.idle_timeout_s, "Seconds without a message before a stream is closed")
      ->default_val(o.idle_timeout_s);
  cmd->add_option("--num-threads", o.num_threads, "Recognition worker threads (0: one per core)")
      ->default_val(o.num_threads);
  cmd->add_option("--max-batch", o.max_batch,
                  "Clients whose network steps run together, one pass over the weights (1..16; 1: each alone)")
      ->default_val(o.max_batch);
  cmd->add_option("--batch-wait-ms", o.batch_wait_ms,
                  "How long a worker waits for more clients to fill a batch (0..1000; 0: it takes what is\n"
                  "ready). Throughput for latency: a client's audio may wait this long")
      ->default_val(o.batch_wait_ms);
  cmd->add_option("--max-queue-seconds", o.max_queue_s,
                  "Audio of one client waiting for the workers before the server stops reading it")
      ->default_val(o.max_queue_s);
  cmd->add_option("--max-send-queue", o.max_send_queue,
                  "Events waiting for a client that does not read them before it is dropped")
      ->default_val(o.max_send_queue);
  cmd->add_option("--shutdown-timeout", o.shutdown_timeout_s, "SIGTERM: longest wait for open streams' finals (s)")
      ->default_val(o.shutdown_timeout_s);
  cmd->add_flag("--int8", a->int8, "Step every model's lstm and linear layers with int8 weights (a scale per row)");
  cmd->add_option("--web-root", o.web_root, "Directory of the demo page (default: the one shipped)");
  cmd->callback([a, &registry] { registry.Set([a] { return Run(*a); }); });
}

}  // namespace

AURIS_COMMAND(55, RegisterServe);

}  // namespace auris::cli
