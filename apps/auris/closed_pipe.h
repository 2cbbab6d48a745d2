// Writing to a closed pipe (`auris features ... ark,t:- | head`) ends auris
// as it ends any Unix tool: quietly, killed by SIGPIPE (shell status 141).
// But the command unwinds first, so no temporary output file is left behind:
// SIGPIPE is caught, a write to the closed pipe fails with EPIPE and throws,
// and main re-raises SIGPIPE once the command has returned.
#pragma once

namespace auris::cli {

// Makes a write to a closed pipe fail (EPIPE) instead of killing the process.
void CatchSigpipe();
// True when a write to stdout failed and stdout is a pipe whose reader has
// gone (not for another error, even if the reader has gone too).
bool WroteToClosedPipe();
// Ends the process by SIGPIPE, as if it had never been caught.
[[noreturn]] void DieOfSigpipe();
// Throws if a write to stdout has failed, so that a loop printing results
// stops instead of working on for a reader that has gone.
void CheckStdout();

}  // namespace auris::cli
