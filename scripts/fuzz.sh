#!/usr/bin/env bash
# Fuzzes auris's parsers with libFuzzer: one target per parser, fuzz/<t>_fuzz.cc,
# seeded with the committed corpus fuzz/corpus/<t>/ (python3 fuzz/make_corpus.py
# rewrites it).
#   scripts/fuzz.sh                         every target for 12 s, two at a time (CI)
#   scripts/fuzz.sh --seconds 600 npy htk   a longer campaign of some targets
#   scripts/fuzz.sh --list                  the target names
# Options: --seconds N per target (default 12), --parallel P targets at once
# (default 2, at most nproc). Builds with clang (-fsanitize=fuzzer,address,
# undefined) in its own build directory ($AURIS_FUZZ_BUILD, default build/fuzz).
# What each target finds is kept in $build/corpus/<t>/ and reused by the next
# run. Exits non-zero on any crash, leak, sanitizer report, timeout or
# exception other than auris::Error; the reproducer is left in
# $build/artifacts/<t>/ and the end of the target's log is shown. Prints runs,
# speed, coverage and corpus size per target.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
seconds=12
parallel=2
targets=()
all=$(ls fuzz/*_fuzz.cc | sed 's|fuzz/||; s|_fuzz\.cc$||')
while (($#)); do
  case $1 in
    --seconds) seconds=$2; shift 2 ;;
    --parallel) parallel=$2; shift 2 ;;
    --list) echo "$all"; exit 0 ;;
    -h|--help) sed -n '2,16p' "$0"; exit 0 ;;
    -*) echo "fuzz.sh: unknown option $1" >&2; exit 2 ;;
    *) grep -qx "$1" <<<"$all" || { echo "fuzz.sh: no target '$1' (have: $(echo $all))" >&2; exit 2; }
       targets+=("$1"); shift ;;
  esac
done
((${#targets[@]})) || mapfile -t targets <<<"$all"
((parallel > $(nproc))) && parallel=$(nproc)
build=$(realpath -m "${AURIS_FUZZ_BUILD:-build/fuzz}")

CC=clang CXX=clang++ cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DAURIS_FUZZ=ON -DAURIS_BUILD_TESTS=OFF -DAURIS_BUILD_BENCH=OFF >/dev/null
cmake --build "$build" -j"$(nproc)" --target "${targets[@]/%/_fuzz}"

# run <target>: fuzzes it; its exit status goes to $build/logs/<t>.status.
run() {
  local t=$1 dict=()
  mkdir -p "$build/corpus/$t" "$build/artifacts/$t"
  [[ -f fuzz/$t.dict ]] && dict=(-dict="$root/fuzz/$t.dict")
  local status=0
  # New inputs go to the first directory; the committed seeds stay untouched.
  "$build/fuzz/${t}_fuzz" "$build/corpus/$t" "$root/fuzz/corpus/$t" "${dict[@]}" \
    -max_total_time="$seconds" -max_len=4096 -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
    -artifact_prefix="$build/artifacts/$t/" >"$build/logs/$t.log" 2>&1 || status=$?
  echo "$status" >"$build/logs/$t.status"
}

mkdir -p "$build/logs"
# Targets that read files write their input per run: keep it in memory.
[[ -z ${TMPDIR:-} && -d /dev/shm ]] && export TMPDIR=/dev/shm
for t in "${targets[@]}"; do
  while (($(jobs -rp | wc -l) >= parallel)); do wait -n || true; done
  run "$t" &
done
wait

failed=0
printf '%-12s %10s %8s %6s %7s %6s\n' target runs exec/s cov ft corpus
for t in "${targets[@]}"; do
  log=$build/logs/$t.log
  if [[ $(cat "$build/logs/$t.status") != 0 ]]; then
    tail -n 40 "$log"
    echo "fuzz.sh: $t found a failure (reproducer in $build/artifacts/$t/)" >&2
    failed=1
    continue
  fi
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
  speed=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log")
  read -r cov ft corpus < <(grep -E '^#[0-9]+.*cov: ' "$log" | tail -n 1 |
    sed -E 's/.*cov: ([0-9]+) ft: ([0-9]+) corp: ([0-9]+).*/\1 \2 \3/')
  printf '%-12s %10s %8s %6s %7s %6s\n' "$t" "$runs" "$speed" "$cov" "$ft" "$corpus"
done
exit "$failed"
