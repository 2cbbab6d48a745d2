#!/usr/bin/env bash
# Corpus feature extraction as one Slurm array job (Kaldi's make_mfcc.sh +
# slurm.pl pattern) on the real `auris features`. Run with --help.
set -euo pipefail

usage() {
  cat <<'EOF'
Usage: scripts/slurm-features.sh [launcher options] [auris features options] <input>... <outdir>

Extracts features for a whole corpus as one Slurm array job: task K of N runs
  auris features --shard K/N --num-threads C [options] <input>... ark,scp:<outdir>/feats.K.ark,<outdir>/feats.K.scp
then the launcher waits, checks every shard and merges the shard scp files
into <outdir>/feats.scp (input order). Inputs and options are those of
`auris features` (files, directories, scp:wav.scp, list:FILE, --type, --num-ceps,
--segments, --cmvn, ...) and are passed through unchanged; relative paths are
resolved in the current directory, which must be visible to the nodes.

Re-running the same command is safe: complete shards are kept, only missing or
failed ones are resubmitted. A shard is complete when <outdir>/feats.K.done
exists; a task writes it only after auris renamed feats.K.ark/scp into place,
so a task killed half-way leaves no complete-looking shard.

Launcher options:
  -j, --jobs N           Number of shards = array tasks (required; at most the
                         cluster's MaxArraySize - 1, 1000 by default)
  -p, --partition NAME   sbatch --partition
  -t, --time LIMIT       sbatch --time (per task), e.g. 30:00
      --mem SIZE         sbatch --mem (per task), e.g. 4G
  -c, --cpus-per-task C  sbatch --cpus-per-task, also auris --num-threads (default 1;
                         --num-threads C is accepted as a synonym)
      --max-running M    at most M tasks at a time (sbatch --array=...%M)
      --sbatch-option OPT  any other sbatch option, verbatim (repeatable), e.g.
                         --sbatch-option=--account=speech
      --auris PATH       the auris binary (default: $AURIS, else auris on PATH,
                         else build/release/apps/auris/auris of this checkout)
  -h, --help             this text

Output directory: feats.K.ark/.scp/.done per shard, feats.scp (merged),
log/feats.K.log (task logs), slurm-features.conf (what the shards belong to:
directory, auris binary and its checksum, N, options, checksums of scp/list/
segments/cmvn files; a re-run with anything different is refused).

Exit status: 0 all extracted; 1 some input files failed (reported, every
other utterance extracted, feats.scp written); 2 usage or configuration error;
3 Slurm missing, submission failed or a shard failed (its log path and error
line are printed; re-run to resubmit only the failed shards).
EOF
}

prog=slurm-features.sh
die() { echo "$prog: error: $1" >&2; exit "${2:-2}"; }
note() { echo "$prog: $*" >&2; }

jobs=""
cpus=""
max_running=""
auris=${AURIS:-}
sbatch_opts=()
feat_args=()

# Options take "--opt VALUE" or "--opt=VALUE"; everything else is passed to auris.
while [ $# -gt 0 ]; do
  arg=$1
  shift
  name=${arg%%=*}
  case "$name" in
    -j|--jobs|-p|--partition|-t|--time|--mem|-c|--cpus-per-task|--num-threads|--max-running|--sbatch-option|--auris)
      if [ "$name" != "$arg" ]; then
        value=${arg#*=}
      else
        [ $# -gt 0 ] || die "$name needs a value (see --help)"
        value=$1
        shift
      fi
      case "$name" in
        -j|--jobs) jobs=$value ;;
        -p|--partition) sbatch_opts+=("--partition=$value") ;;
        -t|--time) sbatch_opts+=("--time=$value") ;;
        --mem) sbatch_opts+=("--mem=$value") ;;
        -c|--cpus-per-task|--num-threads) cpus=$value ;;
        --max-running) max_running=$value ;;
        --sbatch-option)
          case "$value" in
            -o*|--output*|-e*|--error*|-a*|--array*|--open-mode*|--parsable|--wait|-W)
              die "--sbatch-option '$value': set by the launcher (task logs are how it checks shards)" ;;
          esac
          sbatch_opts+=("$value") ;;
        --auris) auris=$value ;;
      esac
      ;;
    -h|--help) usage; exit 0 ;;
    --shard|--output-format)
      die "$name is set by the launcher (each task writes Kaldi ark,scp shard K of N)" ;;
    *) feat_args+=("$arg") ;;
  esac
done

is_count() { [[ $1 =~ ^[1-9][0-9]*$ ]]; }
[ -n "$jobs" ] || die "--jobs N is required (see --help)"
is_count "$jobs" || die "--jobs '$jobs': expected a positive integer"
cpus=${cpus:-1}
is_count "$cpus" || die "--cpus-per-task '$cpus': expected a positive integer"
[ -z "$max_running" ] || is_count "$max_running" || die "--max-running '$max_running': expected a positive integer"
[ ${#feat_args[@]} -ge 2 ] || die "need at least one input and an output directory (see --help)"

out_arg=${feat_args[-1]}
unset 'feat_args[-1]'
for a in "${feat_args[@]}"; do
  case "$a" in
    -|list:-|scp:-) die "input '$a': tasks cannot read the launcher's stdin; write the list to a file" ;;
  esac
done

# Slurm and auris must be there before anything is written.
for b in sbatch squeue scancel; do
  command -v "$b" >/dev/null ||
    die "Slurm not found: '$b' is not on PATH (run on a cluster login node, or install slurm-client)" 3
done
if [ -z "$auris" ]; then
  if command -v auris >/dev/null; then
    auris=$(command -v auris)
  else
    auris=$(dirname "$0")/../build/release/apps/auris/auris
  fi
fi
{ [ -f "$auris" ] && [ -x "$auris" ]; } || die "auris binary '$auris' not found or not executable (use --auris PATH)"
auris=$(realpath "$auris")

mkdir -p "$out_arg/log" || die "cannot create output directory '$out_arg'"
out=$(realpath "$out_arg")
exec 9>"$out/slurm-features.lock"
flock -n 9 || die "another slurm-features.sh is running on $out"

# The command the shards belong to: directory, binary, shard count, options,
# checksums of the binary and of list/scp/segments/cmvn files.
describe_run() {
  local a prev="" f
  echo "cwd=$PWD"
  echo "auris=$auris md5 $(md5sum < "$auris" | cut -d' ' -f1)"
  echo "jobs=$jobs"
  echo "auris features$(printf ' %q' "${feat_args[@]}")"
  for a in "${feat_args[@]}"; do
    f=""
    case "$a" in
      scp:*|list:*) f=${a#*:} ;;
      --segments=*|--cmvn=*) f=${a#*=} ;;
    esac
    case "$prev" in --segments|--cmvn) f=$a ;; esac
    f=${f#scp:}
    f=${f#ark:}
    [ -n "$f" ] && [ -f "$f" ] && echo "md5 $(md5sum < "$f" | cut -d' ' -f1) $f"
    prev=$a
  done
  return 0
}
conf=$out/slurm-features.conf
if [ -f "$conf" ]; then
  if ! diff <(describe_run) "$conf" >/dev/null; then
    note "$out holds shards of another command:"
    diff <(describe_run) "$conf" | sed -n 's/^[<>] /  /p' >&2 || true
    die "use a fresh output directory, or delete $out to start over"
  fi
else
  describe_run > "$conf"
fi

# An earlier launcher may have been killed while its job still runs.
jobid_file=$out/slurm-features.jobid
if [ -s "$jobid_file" ]; then
  old=$(cat "$jobid_file")
  if [ -n "$(squeue -h -j "$old" -o %i 2>/dev/null)" ]; then
    die "array job $old of an earlier run on $out is still active: wait for it (squeue -j $old) or scancel $old" 3
  fi
fi

# complete K: the task's marker exists and the shard files still have the sizes it recorded.
complete() {
  local m=$out/feats.$1.done
  [ -f "$m" ] && [ -f "$out/feats.$1.ark" ] && [ -f "$out/feats.$1.scp" ] || return 1
  [ "$(sed -n 's/^ark_bytes=//p' "$m")" = "$(stat -c %s "$out/feats.$1.ark")" ] &&
    [ "$(sed -n 's/^scp_bytes=//p' "$m")" = "$(stat -c %s "$out/feats.$1.scp")" ]
}

missing=()
for ((k = 1; k <= jobs; k++)); do
  complete "$k" || missing+=("$k")
done

# "1,2,3,5,7,8" -> "1-3,5,7-8"
ranges() {
  local spec="" lo=$1 hi=$1 k
  shift
  for k in "$@" ""; do
    if [ -n "$k" ] && [ "$k" -eq $((hi + 1)) ]; then
      hi=$k
      continue
    fi
    spec+="${spec:+,}$lo"
    [ "$hi" -gt "$lo" ] && spec+="-$hi"
    lo=$k
    hi=$k
  done
  echo "$spec"
}

# Task script: auris for shard K, then the marker, written last and atomically.
write_task() {
  local cmd
  cmd=$(printf '%q ' "$auris" features "${feat_args[@]}" --num-threads "$cpus")
  cat <<EOF
#!/usr/bin/env bash
# Written by $prog: shard \$SLURM_ARRAY_TASK_ID of $jobs for $out.
set -uo pipefail
k=\$SLURM_ARRAY_TASK_ID
out=$(printf '%q' "$out")
log=\$out/log/feats.\$k.log
rm -f "\$out/feats.\$k.done" "\$out/feats.\$k.ark" "\$out/feats.\$k.scp" "\$out/feats.\$k".*.tmp.*
echo "shard \$k/$jobs: job \${SLURM_ARRAY_JOB_ID}_\$k on node \${SLURMD_NODENAME:-\$(hostname)}"
$cmd--shard "\$k/$jobs" "ark,scp:\$out/feats.\$k.ark,\$out/feats.\$k.scp"
status=\$?
summary=\$(grep -E '^Done [0-9]+ of [0-9]+ utterances, [0-9]+ failed' "\$log" | tail -n 1)
if [ "\$status" -gt 1 ] || [ -z "\$summary" ] || [ ! -f "\$out/feats.\$k.ark" ] || [ ! -f "\$out/feats.\$k.scp" ]; then
  echo "$prog: error: shard \$k: auris features exited with status \$status without completing the shard"
  exit 1
fi
{
  echo "node=\${SLURMD_NODENAME:-\$(hostname)}"
  echo "job=\${SLURM_ARRAY_JOB_ID}_\$k"
  echo "ark_bytes=\$(stat -c %s "\$out/feats.\$k.ark")"
  echo "scp_bytes=\$(stat -c %s "\$out/feats.\$k.scp")"
  echo "\$summary"
  grep '^auris features: error: ' "\$log" || true
} > "\$out/feats.\$k.done.tmp.\$\$" && mv "\$out/feats.\$k.done.tmp.\$\$" "\$out/feats.\$k.done"
EOF
}

jobid=""
cancel_job() {
  [ -n "$jobid" ] && scancel "$jobid" 2>/dev/null && note "interrupted: cancelled array job $jobid"
  exit 130
}

# Polls squeue until the job has left the queue (every 0.25 s at first, then
# less often, at most every 10 s); tolerates a few failed squeue calls.
wait_job() {
  local delay=0.25 errors=0 listed
  while true; do
    if listed=$(squeue -h -j "$1" -o %i 2>&1); then
      [ -z "$listed" ] && return 0
      errors=0
    elif [[ $listed == *"Invalid job id"* ]]; then
      return 0  # already purged from the controller
    else
      errors=$((errors + 1))
      [ "$errors" -lt 10 ] || die "squeue keeps failing for job $1: $listed" 3
    fi
    sleep "$delay"
    delay=$(awk -v d="$delay" 'BEGIN { d *= 1.5; print (d > 10 ? 10 : d) }')
  done
}

# Why a task failed: the last error-like line of its log that is neither the
# task's own bookkeeping nor a per-file error (those don't fail a shard), with
# auris's exit status when the task recorded one.
error_line() {
  local log=$1 lines line status
  [ -f "$log" ] || { echo "no log written (the task never started; see scontrol show job $jobid)"; return; }
  lines=$(grep -av -e "^$prog: " -e '^shard [0-9]*/[0-9]*: job ' -e '^auris features: error: ' \
                   -e '^Run with --help' -e '^[[:space:]]*$' "$log" || true)
  line=$(grep -aiE 'error|fatal|cancelled|killed|time limit|oom' <<< "$lines" | tail -n 1 || true)
  [ -n "$line" ] || line=$(tail -n 1 <<< "$lines")
  status=$(sed -n "s/^$prog: error: shard [0-9]*: auris features exited with status \([0-9]*\).*/\1/p" "$log")
  echo "${line:-no output}${status:+ (auris features exit status $status)}"
}

t0=$EPOCHREALTIME
rm -f "$out/feats.scp"
if [ ${#missing[@]} -eq 0 ]; then
  note "all $jobs shards of $out are complete, nothing to submit"
else
  task=$out/log/task.sh
  write_task > "$task"
  array=$(ranges "${missing[@]}")
  trap cancel_job INT TERM
  jobid=$(sbatch --parsable --array="$array${max_running:+%$max_running}" --job-name=auris-features \
                 --output="$out/log/feats.%a.log" --open-mode=truncate --chdir="$PWD" \
                 --cpus-per-task="$cpus" "${sbatch_opts[@]}" "$task" 2>"$out/log/sbatch.err") ||
    die "sbatch failed: $(cat "$out/log/sbatch.err")" 3
  cat "$out/log/sbatch.err" >&2  # warnings, if any
  jobid=${jobid%%;*}
  echo "$jobid" > "$jobid_file"
  note "submitted array job $jobid: shards $array of $jobs (logs: $out/log/feats.K.log)"
  wait_job "$jobid"
  trap - INT TERM
  failed=0
  for k in "${missing[@]}"; do
    complete "$k" && continue
    failed=$((failed + 1))
    log=$out/log/feats.$k.log
    echo "$prog: error: shard $k/$jobs (job ${jobid}_$k) failed; log $log: $(error_line "$log")" >&2
  done
  if [ "$failed" -gt 0 ]; then
    die "$failed of ${#missing[@]} submitted shards failed; re-run the same command to resubmit only those" 3
  fi
fi
t1=$EPOCHREALTIME

# Shards are contiguous ranges of the input, so K order is input order.
for ((k = 1; k <= jobs; k++)); do
  cat "$out/feats.$k.scp"
done > "$out/feats.scp.tmp.$$"
mv "$out/feats.scp.tmp.$$" "$out/feats.scp"
t2=$EPOCHREALTIME

markers=()
for ((k = 1; k <= jobs; k++)); do
  markers+=("$out/feats.$k.done")
done
utts=$(wc -l < "$out/feats.scp")
nbad=$(awk '/^Done [0-9]+ of [0-9]+ utterances/ { f += $6 } END { print f + 0 }' "${markers[@]}")
note "$out/feats.scp: $utts utterances from $jobs shards, $nbad input(s) failed" \
     "(Slurm $(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f", b - a }') s," \
     "merge $(awk -v a="$t1" -v b="$t2" 'BEGIN { printf "%.3f", b - a }') s)"
if [ "$nbad" -gt 0 ]; then
  echo "$prog: failed inputs (skipped):" >&2
  sed -n 's/^auris features: error: /  /p' "${markers[@]}" >&2
  exit 1
fi
