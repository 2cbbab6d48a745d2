#include "local_cluster.h"

namespace auris::test {

LocalSlurm::LocalSlurm(const TempDir& dir)
    : script_(SourceDir() + "/tests/cluster/local_slurm.sh"), dir_(dir.path().string()) {
  const std::string out = dir / "local_slurm.out";
  const int rc = RunCommand("( '" + script_ + "' start '" + dir_ + "' >'" + out + "' )", &problem_);
  if (rc != 0) return;
  conf_ = ReadFile(out);
  while (!conf_.empty() && conf_.back() == '\n') conf_.pop_back();
  problem_.clear();
}

LocalSlurm::~LocalSlurm() {
  if (Ready()) RunCommand("'" + script_ + "' stop '" + dir_ + "'");
}

}  // namespace auris::test
