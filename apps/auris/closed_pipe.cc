#include "closed_pipe.h"

#include <poll.h>
#include <unistd.h>

#include <csignal>
#include <cstdio>

#include "auris/core/error.h"

namespace auris::cli {
namespace {

extern "C" void IgnoreSignal(int) {}

}  // namespace

void CatchSigpipe() {
  // A handler rather than SIG_IGN: an ignored signal stays ignored across
  // exec, so commands auris starts (wav.scp "cmd |" inputs) would inherit it;
  // a handler is reset to the default there.
  struct sigaction sa = {};
  sa.sa_handler = IgnoreSignal;
  sa.sa_flags = SA_RESTART;
  sigemptyset(&sa.sa_mask);
  sigaction(SIGPIPE, &sa, nullptr);
}

bool WroteToClosedPipe() {
  if (!std::ferror(stdout)) return false;
  // A pipe's write end polls POLLERR once no reader is left (reported even
  // when not asked for).
  pollfd p = {STDOUT_FILENO, 0, 0};
  return poll(&p, 1, 0) == 1 && (p.revents & POLLERR) != 0;
}

void DieOfSigpipe() {
  std::fflush(stderr);
  std::signal(SIGPIPE, SIG_DFL);
  sigset_t pipe_only;
  sigemptyset(&pipe_only);
  sigaddset(&pipe_only, SIGPIPE);
  pthread_sigmask(SIG_UNBLOCK, &pipe_only, nullptr);
  std::raise(SIGPIPE);
  _exit(128 + SIGPIPE);  // not reached
}

void CheckStdout() {
  if (std::ferror(stdout)) throw MakeError("stdout: write failed");
}

}  // namespace auris::cli
