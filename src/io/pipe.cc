#include "auris/io/pipe.h"

#include <fcntl.h>
#include <poll.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstring>

#include "auris/core/error.h"

extern char** environ;

namespace auris::io {
namespace {

struct Fd {
  int fd = -1;
  ~Fd() { Close(); }
  void Close() {
    if (fd >= 0) ::close(fd);
    fd = -1;
  }
};

void MakePipe(Fd* read_end, Fd* write_end, const std::string& command) {
  int p[2];
  // CLOEXEC: commands started concurrently by other threads must not inherit
  // our pipe ends, or we would never see end-of-file.
  if (::pipe2(p, O_CLOEXEC) != 0) throw MakeError("cannot create pipe for '", command, "': ", std::strerror(errno));
  read_end->fd = p[0];
  write_end->fd = p[1];
}

}  // namespace

CommandResult RunCommandCapture(const std::string& command) {
  Fd out_r, out_w, err_r, err_w;
  MakePipe(&out_r, &out_w, command);
  MakePipe(&err_r, &err_w, command);

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_adddup2(&actions, out_w.fd, 1);
  posix_spawn_file_actions_adddup2(&actions, err_w.fd, 2);
  const char* argv[] = {"sh", "-c", command.c_str(), nullptr};
  pid_t pid = -1;
  const int rc = posix_spawn(&pid, "/bin/sh", &actions, nullptr, const_cast<char**>(argv), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0) throw MakeError("cannot start '", command, "': ", std::strerror(rc));
  out_w.Close();
  err_w.Close();

  CommandResult result;
  std::array<char, 65536> buf;
  pollfd fds[2] = {{out_r.fd, POLLIN, 0}, {err_r.fd, POLLIN, 0}};
  int open_fds = 2;
  while (open_fds > 0) {
    if (::poll(fds, 2, -1) < 0) {
      if (errno == EINTR) continue;
      break;
    }
    for (int i = 0; i < 2; ++i) {
      if (fds[i].fd < 0 || fds[i].revents == 0) continue;
      const ssize_t n = ::read(fds[i].fd, buf.data(), buf.size());
      if (n > 0) {
        (i == 0 ? result.stdout_bytes : result.stderr_text).append(buf.data(), static_cast<std::size_t>(n));
      } else if (n == 0 || errno != EINTR) {
        fds[i].fd = -1;  // closed by the child (or unreadable)
        --open_fds;
      }
    }
  }
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0) {
    if (errno != EINTR) throw MakeError("waiting for '", command, "': ", std::strerror(errno));
  }
  result.exit_status = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  return result;
}

std::string ReadPipeOutput(const std::string& command, const std::string& uttid) {
  CommandResult r = RunCommandCapture(command);
  if (r.exit_status != 0) {
    std::string tail = r.stderr_text;
    while (!tail.empty() && (tail.back() == '\n' || tail.back() == '\r')) tail.pop_back();
    if (tail.size() > 300) tail = "..." + tail.substr(tail.size() - 300);
    for (char& c : tail)
      if (c == '\n') c = ' ';
    throw MakeError(uttid, ": command '", command, "' failed with exit status ", r.exit_status,
                    tail.empty() ? "" : ": " + tail);
  }
  if (r.stdout_bytes.empty()) throw MakeError(uttid, ": command '", command, "' produced no output");
  return std::move(r.stdout_bytes);
}

}  // namespace auris::io
