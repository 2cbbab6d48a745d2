#!/usr/bin/env bash
# Leave-one-speaker-out over FSDD's 6 speakers: for each speaker, train the
# shipped recipe without any of their recordings (AN4's training speakers'
# cuts stay in every fold's training; choices on AN4's dev speakers), test on
# all 500 of them; prints each accuracy and the mean.
#   recipes/fsdd-digits/loso.sh [--speakers "S1 S2 ..."] [run.sh options] [-- extra auris train options]
#   --speakers  only these folds (default: all six; the mean is then partial)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
args=()
extra=()
speakers="george jackson lucas nicolas theo yweweler"
while (($#)); do
  case $1 in
    --speakers) speakers=$2; shift 2 ;;
    --) shift; extra=("$@"); break ;;
    -h|--help) sed -n '2,/^[^#]/{/^#/p}' "$0"; exit 0 ;;
    *) args+=("$1"); shift ;;
  esac
done
root=$(cd "$here/../.." && pwd)
out=$root/build/recipes/fsdd-digits
for ((i = 0; i < ${#args[@]}; i++)); do [[ ${args[i]} == --out ]] && out=${args[i + 1]}; done
accs=()
for spk in $speakers; do
  "$here/run.sh" "${args[@]}" --holdout "$spk" -- "${extra[@]}" >/dev/null
  acc=$(sed -n 's/.*"accuracy":\([0-9.e-]*\).*/\1/p' "$out/$spk/eval.json")
  awk -v s="$spk" -v a="$acc" 'BEGIN { printf "%-9s %6.2f%%\n", s, a * 100 }'
  accs+=("$acc")
done
printf '%s\n' "${accs[@]}" | awk '{ s += $1 } END { printf "mean      %6.2f%%\n", s / NR * 100 }'
