// MODEL.log.jsonl of auris train: one JSON line per epoch, each appended and
// fsynced before that epoch's checkpoint is saved (TrainCallbacks::on_epoch).
// A resumed run first cuts the log back to the checkpoint's epochs, replacing
// it atomically, so a crash at any point leaves a log whose lines are whole
// and, after resuming, exactly one per epoch. Write errors throw naming the log.
#pragma once

#include <string>

namespace auris::cli {

class TrainLog {
 public:
  // A fresh run (resuming = false) starts an empty log at once.
  TrainLog(std::string path, bool resuming);
  // The line of 1-based `epoch`; the first one after a resume drops the lines
  // of epochs >= `epoch` an interrupted run may have left.
  void Append(int epoch, const std::string& line);
  const std::string& Path() const { return path_; }

 private:
  std::string path_;
  bool cut_pending_;
};

}  // namespace auris::cli
