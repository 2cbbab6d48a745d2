#!/usr/bin/env bash
# Continuous keyword-spotting evaluation (issue 6): makes the test stream
# (make_stream.sh, reused when present), runs `auris live --fast --json` on it
# and scores the events (score_stream.py): FRR, false alarms per hour and a
# threshold sweep.
#   recipes/kws-digits/eval_stream.sh [--model M] [--out DIR] [--minutes M] [-- extra auris live options]
#   --model  default data/models/kws-digits.safetensors
#   --out    default build/recipes/kws-digits/stream-<minutes>min
# Extra live options default to "--threshold 0.5": events down to 0.5 are
# written, so the sweep can raise the threshold from there.
# Uses $AURIS or build/release/apps/auris/auris.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
model=$root/data/models/kws-digits.safetensors
minutes=120
out=
extra=(--threshold 0.5)
while (($#)); do
  case $1 in
    --model) model=$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    --minutes) minutes=$2; shift 2 ;;
    --) shift; extra=("$@"); break ;;
    -h|--help) sed -n '2,10p' "$0"; exit 0 ;;
    *) echo "eval_stream.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done
auris=${AURIS:-$root/build/release/apps/auris/auris}
[[ -x $auris ]] || { echo "eval_stream.sh: $auris not built (or set AURIS)" >&2; exit 1; }
out=${out:-$root/build/recipes/kws-digits/stream-${minutes}min}
[[ -s $out/truth.txt && -s $out/stream.wav ]] || "$here/make_stream.sh" "$out" --minutes "$minutes"
start=$(date +%s.%N)
"$auris" live --model "$model" --input "$out/stream.wav" --fast --json "${extra[@]}" >"$out/events.jsonl"
end=$(date +%s.%N)
dur=$(sed -n "s/^# duration_s //p" "$out/truth.txt")
awk -v s="$start" -v e="$end" -v d="$dur" 'BEGIN { printf "auris live: %.1f s for %.1f min of audio (RTF %.4f)\n", e - s, d / 60, (e - s) / d }'
/usr/bin/python3 "$here/score_stream.py" --events "$out/events.jsonl" --truth "$out/truth.txt" --json >"$out/score.json"
/usr/bin/python3 "$here/score_stream.py" --events "$out/events.jsonl" --truth "$out/truth.txt"
