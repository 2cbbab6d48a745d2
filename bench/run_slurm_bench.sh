#!/usr/bin/env bash
# Slurm array-job feature extraction (issue #7), all measured in this run on a
# private local 2-node cluster (tests/cluster/local_slurm.sh, 1 CPU per node):
#  1. wall time of scripts/slurm-features.sh with N shards vs single-process
#     `auris features --num-threads 2` on the same input (both use 2 cores);
#  2. overhead per shard (submission, scheduling, task start-up, merge):
#     (launcher wall - sum of the tasks' own extraction times / 2 slots) / N,
#     and the merge time the launcher reports.
# The merged output is checked to be identical to the single-process one.
# Usage: bench/run_slurm_bench.sh [build dir, default build/release]
#   REPEAT=8 (times each FSDD recording is listed)  SHARDS="2 4 16" (runs)
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build/release}
repeat=${REPEAT:-8}
shards=${SHARDS:-2 4 16}
cmake --build "$build" --target auris >/dev/null
auris=$(realpath "$build/apps/auris/auris")
launcher=$PWD/scripts/slurm-features.sh
cluster=$PWD/tests/cluster/local_slurm.sh

work=$(mktemp -d)
trap '"$cluster" stop "$work"; rm -rf "$work"' EXIT
SLURM_CONF=$("$cluster" start "$work")
export SLURM_CONF

# Input: every FSDD recording (8 kHz) listed $repeat times, or generated tones.
fsdd=$(realpath -q ../shared/data/fsdd/recordings || true)
if [ ! -d "$fsdd" ]; then
  fsdd=$work/gen
  mkdir -p "$fsdd"
  for i in $(seq 0 599); do
    sox -n -r 8000 -b 16 "$fsdd/g$i.wav" synth 0.$((3 + i % 6)) sine $((200 + i))-$((900 + i)) vol 0.3
  done
fi
for r in $(seq "$repeat"); do
  for f in "$fsdd"/*.wav; do
    b=${f##*/}
    echo "r${r}_${b%.wav} $f"
  done
done > "$work/wav.scp"
cat "$fsdd"/*.wav > /dev/null  # page cache warm for every run
files=$(find "$fsdd" -maxdepth 1 -name '*.wav' | wc -l)
echo "input: $(wc -l < "$work/wav.scp") utterances ($files files x $repeat)," \
     "$(soxi -DT "$fsdd"/*.wav | awk -v r="$repeat" '{ printf "%.0f", $1 * r }') s of audio"

elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", b - a }'; }

cd "$work"
t0=$EPOCHREALTIME
"$auris" features -q --num-threads 2 --sample-frequency 8000 scp:wav.scp \
  ark,scp:"$work/single.ark,$work/single.scp" 2> single.log
single=$(elapsed "$t0" "$EPOCHREALTIME")
echo "single process, --num-threads 2: wall ${single} s ($(grep -o '[0-9.]*x real time' single.log))"

printf '%-7s %9s %9s %13s %11s %9s %10s\n' shards wall_s vs_single sum_tasks_s overhead_s merge_s identical
for n in $shards; do
  t0=$EPOCHREALTIME
  "$launcher" --auris "$auris" -j "$n" -c 1 --sample-frequency 8000 scp:wav.scp "out$n" 2> "launch$n.log"
  wall=$(elapsed "$t0" "$EPOCHREALTIME")
  # Each task's own extraction time, from its "Done ... in X s" line.
  tasks=$(sed -n 's/^Done .* in \([0-9.]*\) s,.*/\1/p' "out$n"/feats.*.done |
            awk '{ s += $1 } END { printf "%.2f", s }')
  merge=$(sed -n 's/.*merge \([0-9.]*\) s).*/\1/p' "launch$n.log")
  same=no
  for ((k = 1; k <= n; k++)); do cat "out$n/feats.$k.ark"; done | cmp -s - single.ark && same=yes
  printf '%-7s %9s %8sx %13s %11s %9s %10s\n' "$n" "$wall" \
    "$(awk -v w="$wall" -v s="$single" 'BEGIN { printf "%.2f", w / s }')" "$tasks" \
    "$(awk -v w="$wall" -v t="$tasks" -v n="$n" 'BEGIN { printf "%.3f", (w - t / 2) / n }')" "$merge" "$same"
done
echo "overhead_s = (wall - sum_tasks / 2 slots) / shards: the extra wall time each shard costs"
