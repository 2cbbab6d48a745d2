// A private Slurm cluster for one test: tests/cluster/local_slurm.sh starts
// munged, slurmctld and two slurmd nodes with everything inside a temporary
// directory; the destructor stops them by PID.
#pragma once

#include <string>

#include "test_support.h"

namespace auris::test {

class LocalSlurm {
 public:
  // Starts the cluster under dir/slurm (about 1-2 s).
  explicit LocalSlurm(const TempDir& dir);
  ~LocalSlurm();
  LocalSlurm(const LocalSlurm&) = delete;
  LocalSlurm& operator=(const LocalSlurm&) = delete;

  bool Ready() const { return !conf_.empty(); }
  // Why the cluster is not there: not installed, or the daemons' log tails.
  const std::string& Problem() const { return problem_; }
  // "SLURM_CONF='<conf>' ": prefix for shell commands using this cluster.
  std::string Env() const { return "SLURM_CONF='" + conf_ + "' "; }

 private:
  std::string script_;
  std::string dir_;
  std::string conf_;
  std::string problem_;
};

}  // namespace auris::test
