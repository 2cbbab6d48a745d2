#!/usr/bin/env bash
# A private, throw-away Slurm cluster for tests and benchmarks: one munged,
# one slurmctld and two slurmd nodes (n1, n2, one CPU each) on 127.0.0.1,
# every file (config, key, sockets, state, logs, PIDs) inside DIR and random
# high ports, so it touches nothing else and two runs can coexist.
#
#   local_slurm.sh start DIR   prints the slurm.conf path (export it as SLURM_CONF)
#   local_slurm.sh stop DIR    cancels the cluster's jobs, stops the daemons by PID
#
# start exits 77 when Slurm or MUNGE is not installed (scripts/install-deps.sh
# --dev installs them) and 78 when the daemons do not come up (log tails on stderr).
set -euo pipefail

die() { echo "local_slurm.sh: $*" >&2; exit "${2:-1}"; }

usage() { sed -n '6,7p' "$0" | sed 's/^# //' >&2; exit 2; }

[ $# -eq 2 ] || usage
action=$1
root=$(cd "$2" && pwd) || die "no directory '$2'"
base=$root/slurm
conf=$base/slurm.conf
pids=$base/pids

# True if a TCP port is listened on (IPv4 or IPv6), from /proc/net.
port_in_use() {
  cat /proc/net/tcp /proc/net/tcp6 2>/dev/null |
    awk -v p="$(printf '%04X' "$1")" '{ n = split($2, a, ":"); if (a[n] == p && $4 == "0A") f = 1 }
                                      END { exit !f }'
}

# Three consecutive free ports in 20000-59999.
pick_ports() {
  local tries p
  for tries in 1 2 3 4 5 6 7 8 9 10; do
    p=$((20000 + (RANDOM * 32768 + RANDOM) % 40000))
    if ! port_in_use "$p" && ! port_in_use $((p + 1)) && ! port_in_use $((p + 2)); then
      echo "$p"
      return 0
    fi
    : "$tries"
  done
  die "no free ports found" 78
}

write_config() {
  local port=$1 host
  host=$(hostname -s)
  mkdir -p "$base"/{state,spool,log,munge}
  chmod 0755 "$base/munge"  # munged requires a socket directory others can traverse
  : > "$base/plugstack.conf"
  cat > "$conf" <<EOF
ClusterName=auris$port
SlurmctldHost=$host(127.0.0.1)
SlurmctldPort=$port
SlurmUser=$(id -un)
SlurmdUser=$(id -un)
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$base/munge/munge.socket
StateSaveLocation=$base/state
SlurmdSpoolDir=$base/spool/%n
SlurmctldPidFile=$base/slurmctld.pidfile
SlurmdPidFile=$base/slurmd.%n.pidfile
SlurmctldLogFile=$base/log/slurmctld.log
SlurmdLogFile=$base/log/slurmd.%n.log
PlugStackConfig=$base/plugstack.conf
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
MpiDefault=none
SwitchType=switch/none
MailProg=/bin/true
ReturnToService=2
MinJobAge=4
KillWait=2
SchedulerParameters=sched_interval=1
NodeName=n1 NodeHostname=$host NodeAddr=127.0.0.1 Port=$((port + 1)) CPUs=1 State=UNKNOWN
NodeName=n2 NodeHostname=$host NodeAddr=127.0.0.1 Port=$((port + 2)) CPUs=1 State=UNKNOWN
PartitionName=debug Nodes=n1,n2 Default=YES MaxTime=INFINITE State=UP
EOF
}

# Runs a daemon in the foreground of a background process, logs in DIR.
launch() {
  local name=$1
  shift
  "$@" </dev/null >"$base/log/$name.out" 2>&1 &
  echo "$name $!" >> "$pids"
}

log_tails() {
  local f
  for f in "$base"/log/*; do
    [ -s "$f" ] || continue
    echo "--- $f" >&2
    tail -n 5 "$f" >&2
  done
}

start() {
  local b
  for b in munged slurmctld slurmd sbatch sinfo scancel squeue; do
    command -v "$b" >/dev/null || [ -x "/usr/sbin/$b" ] ||
      die "'$b' not found: install Slurm and MUNGE (scripts/install-deps.sh --dev)" 77
  done
  export PATH=$PATH:/usr/sbin
  [ -e "$pids" ] && die "$pids exists: a cluster was started in $root already"
  write_config "$(pick_ports)"
  export SLURM_CONF=$conf

  # munged checks that everyone can reach its socket: DIR must be traversable.
  chmod go+x "$root"
  head -c 1024 /dev/urandom > "$base/munge/munge.key"
  chmod 0400 "$base/munge/munge.key"
  launch munged munged -F --key-file="$base/munge/munge.key" --socket="$base/munge/munge.socket" \
    --pid-file="$base/munge/munged.pid" --log-file="$base/log/munged.log" \
    --seed-file="$base/munge/munged.seed"
  wait_for 5 test -S "$base/munge/munge.socket" || fail "munged did not start"
  launch slurmctld slurmctld -D -i
  launch slurmd-n1 slurmd -D -N n1
  launch slurmd-n2 slurmd -D -N n2

  # Ready when both nodes are idle (~1 s).
  wait_for 30 two_idle_nodes || fail "the nodes did not become idle within 30 s"
  echo "$conf"
}

two_idle_nodes() {
  [ "$(timeout 5 sinfo -h -N -o '%t' 2>/dev/null | grep -c '^idle$')" = 2 ]
}

# wait_for SECONDS COMMAND...: polls COMMAND every 0.2 s until it succeeds.
wait_for() {
  local deadline=$((SECONDS + $1))
  shift
  until "$@"; do
    [ "$SECONDS" -lt "$deadline" ] || return 1
    sleep 0.2
  done
}

fail() {
  echo "local_slurm.sh: $1 (cluster in $base)" >&2
  log_tails
  stop
  exit 78
}

stop() {
  [ -f "$pids" ] || return 0
  export SLURM_CONF=$conf PATH=$PATH:/usr/sbin
  # Jobs first: their slurmstepd processes outlive slurmd.
  if timeout 5 scancel --full --quiet "--user=$(id -un)" 2>/dev/null; then
    wait_for 10 queue_empty || true
  fi
  # Slurm daemons together (each takes 1-2 s to exit), then munged.
  local slurm munge
  mapfile -t slurm < <(awk '$1 != "munged" { print $2 }' "$pids")
  mapfile -t munge < <(awk '$1 == "munged" { print $2 }' "$pids")
  stop_daemons "${slurm[@]}"
  stop_daemons "${munge[@]}"
  rm -f "$pids"
}

# SIGTERM to every PID, SIGKILL to those still there after 10 s.
stop_daemons() {
  local pid
  for pid in "$@"; do
    kill -TERM "$pid" 2>/dev/null || true
  done
  for pid in "$@"; do
    if ! wait_for 10 not_running "$pid"; then
      echo "local_slurm.sh: PID $pid ignored SIGTERM for 10 s, killing it" >&2
      kill -KILL "$pid" 2>/dev/null || true
    fi
  done
}

queue_empty() { [ -z "$(timeout 5 squeue -h -o %i 2>/dev/null)" ]; }

not_running() { ! kill -0 "$1" 2>/dev/null; }

case "$action" in
  start) start ;;
  stop) stop ;;
  *) usage ;;
esac
