#!/usr/bin/env bash
# Leave-one-speaker-out over FSDD's 6 speakers: for each speaker, train the
# shipped recipe without any of their recordings, test on all 500 of them;
# prints each accuracy and the mean.
#   recipes/fsdd-digits/loso.sh [--fsdd DIR] [--out DIR] [-- extra auris train options]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
args=()
extra=()
while (($#)); do
  case $1 in
    --) shift; extra=("$@"); break ;;
    -h|--help) sed -n '2,/^[^#]/{/^#/p}' "$0"; exit 0 ;;
    *) args+=("$1"); shift ;;
  esac
done
root=$(cd "$here/../.." && pwd)
out=$root/build/recipes/fsdd-digits
for ((i = 0; i < ${#args[@]}; i++)); do [[ ${args[i]} == --out ]] && out=${args[i + 1]}; done
accs=()
for spk in george jackson lucas nicolas theo yweweler; do
  "$here/run.sh" "${args[@]}" --holdout "$spk" -- "${extra[@]}" >/dev/null
  acc=$(sed -n 's/.*"accuracy":\([0-9.e-]*\).*/\1/p' "$out/$spk/eval.json")
  awk -v s="$spk" -v a="$acc" 'BEGIN { printf "%-9s %6.2f%%\n", s, a * 100 }'
  accs+=("$acc")
done
printf '%s\n' "${accs[@]}" | awk '{ s += $1 } END { printf "mean      %6.2f%%\n", s / NR * 100 }'
