#!/usr/bin/env bash
# Continuous keyword-spotting evaluation (issue 6): makes the test stream
# (make_stream.sh, reused when present), runs `auris live --fast --json` on it
# once per threshold and scores each run (score_stream.py): FRR and false
# alarms per hour at each threshold, and the lowest FRR within each FA/h budget.
#   recipes/kws-digits/eval_stream.sh [--model M] [--out DIR] [--minutes M]
#                                     [--an4 dev|test [--an4-dir DIR] [--rate R]] [--work DIR]
#                                     [--thresholds "T ..."] [-- extra auris live options]
#   --model       default data/models/kws-digits.safetensors
#   --out         default build/recipes/kws-digits/stream-<minutes>min (an4-<set>-stream)
#   --an4         instead, the stream of real AN4 speech (make_an4_stream.sh):
#                 dev = training speakers held out of training (choose the
#                 threshold here), test = AN4's test speakers (decode once)
#   --rate        the AN4 stream's sample rate (default 8000; 16000 for the AN4
#                 recogniser as a spotter: -- --keywords zero,oh=zero,one,...)
#   --work        where a new stream's material is made / reused (default build/recipes/kws-digits)
#   --thresholds  default 26 from 0.5 to 0.9995, denser towards 1
# Runs go in parallel, one per core; the first (timed alone) gives the RTF.
# Writes OUT/events-<T>.jsonl and OUT/score.json.
# Uses $AURIS or build/release/apps/auris/auris.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
model=$root/data/models/kws-digits.safetensors
minutes=120
out=
# Denser towards 1, where the low false-alarm budgets are met.
thresholds="0.5 0.6 0.7 0.8 0.85 0.9 0.92 0.94 0.95 0.96 0.97 0.975 0.98 0.985 0.988 0.99 0.992 0.993 0.994
            0.995 0.996 0.997 0.998 0.9985 0.999 0.9995"
extra=()
an4_set=
an4_args=()
rate=8000
work_args=()
while (($#)); do
  case $1 in
    --model) model=$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    --minutes) minutes=$2; shift 2 ;;
    --thresholds) thresholds=$2; shift 2 ;;
    --an4) an4_set=$2; shift 2 ;;
    --an4-dir) an4_args+=(--an4 "$2"); shift 2 ;;
    --rate) rate=$2; shift 2 ;;
    --work) work_args=(--work "$2"); shift 2 ;;
    --) shift; extra=("$@"); break ;;
    -h|--help) sed -n '2,/^[^#]/{/^#/p}' "$0"; exit 0 ;;
    *) echo "eval_stream.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done
auris=${AURIS:-$root/build/release/apps/auris/auris}
[[ -x $auris ]] || { echo "eval_stream.sh: $auris not built (or set AURIS)" >&2; exit 1; }
[[ -s $model ]] || { echo "eval_stream.sh: no model at $model" >&2; exit 1; }
if [[ -n $an4_set ]]; then
  suffix=$( ((rate == 8000)) || echo "-$((rate / 1000))k")
  out=${out:-$root/build/recipes/kws-digits/an4-$an4_set-stream$suffix}
  [[ -s $out/truth.txt && -s $out/stream.wav ]] ||
    "$here/make_an4_stream.sh" "$out" --set "$an4_set" --rate "$rate" "${an4_args[@]}" "${work_args[@]}"
else
  out=${out:-$root/build/recipes/kws-digits/stream-${minutes}min}
  [[ -s $out/truth.txt && -s $out/stream.wav ]] || "$here/make_stream.sh" "$out" --minutes "$minutes" "${work_args[@]}"
fi
rm -f "$out"/events-*.jsonl

run() {  # threshold
  "$auris" live --model "$model" --input "$out/stream.wav" --fast --json --threshold "$1" "${extra[@]}" \
    >"$out/events-$1.jsonl"
}
read -r -d "" -a ts <<<"$thresholds" || true  # all lines
start=$(date +%s.%N)
run "${ts[0]}"
end=$(date +%s.%N)
dur=$(sed -n "s/^# duration_s //p" "$out/truth.txt")
awk -v s="$start" -v e="$end" -v d="$dur" \
  'BEGIN { printf "auris live: %.1f s for %.1f min of audio (RTF %.4f)\n", e - s, d / 60, (e - s) / d }'
pids=()
for t in "${ts[@]:1}"; do
  run "$t" &
  pids+=($!)
  while (($(jobs -rp | wc -l) >= $(nproc))); do wait -n; done
done
for p in "${pids[@]}"; do wait "$p"; done
runs=()
for t in "${ts[@]}"; do runs+=(--run "$t=$out/events-$t.jsonl"); done
/usr/bin/python3 "$here/score_stream.py" --truth "$out/truth.txt" "${runs[@]}" --json-out "$out/score.json"
