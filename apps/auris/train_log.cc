#include "train_log.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>

#include "auris/core/atomic_file.h"
#include "auris/core/error.h"

namespace auris::cli {
namespace {

// The first `lines` complete lines of `path` (a missing file has none).
std::string FirstLines(const std::string& path, int lines) {
  std::ifstream in(path);
  std::string kept, line;
  for (int i = 0; i < lines && std::getline(in, line) && !in.eof(); ++i) kept += line + "\n";
  if (in.bad()) throw MakeError(path, ": read failed");
  return kept;
}

}  // namespace

TrainLog::TrainLog(std::string path, bool resuming) : path_(std::move(path)), cut_pending_(resuming) {
  if (!resuming) WriteFileAtomically(path_, "");
}

void TrainLog::Append(int epoch, const std::string& line) {
  if (cut_pending_) {
    WriteFileAtomically(path_, FirstLines(path_, epoch - 1));
    cut_pending_ = false;
  }
  const std::string bytes = line + "\n";
  const int fd = open(path_.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
  if (fd < 0) throw MakeError(path_, ": cannot open: ", std::strerror(errno));
  std::size_t done = 0;
  while (done < bytes.size()) {
    const ssize_t n = write(fd, bytes.data() + done, bytes.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    done += static_cast<std::size_t>(n);
  }
  const int err = done < bytes.size() ? errno : fsync(fd) != 0 ? errno : 0;
  close(fd);
  if (err != 0 || done < bytes.size())
    throw MakeError(path_, ": write failed: ", std::strerror(err != 0 ? err : ENOSPC));
}

}  // namespace auris::cli
