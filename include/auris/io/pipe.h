// Running a shell command and capturing its standard output — for wav.scp
// lines of the form "uttid command args |". The command runs under
// /bin/sh -c with stdin from /dev/null; its stderr is captured (not printed)
// and quoted in the error when it fails.
#pragma once

#include <string>

namespace auris::io {

struct CommandResult {
  std::string stdout_bytes;
  std::string stderr_text;
  int exit_status = 0;  // exit code, or 128 + signal number if killed
};

// Runs `command`, never throws for a failing command (see exit_status).
CommandResult RunCommandCapture(const std::string& command);

// Runs `command` and returns its stdout; a non-zero exit status (or a
// signal) throws auris::Error naming `uttid`, the command, the status and the
// tail of its stderr.
std::string ReadPipeOutput(const std::string& command, const std::string& uttid);

}  // namespace auris::io
