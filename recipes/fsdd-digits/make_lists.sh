#!/usr/bin/env bash
# Writes auris data specs (list: files, "<wav> <word>") for FSDD.
#   make_lists.sh FSDD_RECORDINGS_DIR OUT_DIR            official split:
#       OUT_DIR/train.list = takes 5-49, OUT_DIR/test.list = takes 0-4
#   make_lists.sh FSDD_RECORDINGS_DIR OUT_DIR SPEAKER    leave one speaker out:
#       OUT_DIR/train.list = every recording of the other speakers,
#       OUT_DIR/test.list  = all 500 recordings of SPEAKER
set -euo pipefail
src=${1:?FSDD recordings directory}
out=${2:?output directory}
holdout=${3:-}
[[ -d $src ]] || { echo "make_lists.sh: $src: no such directory" >&2; exit 1; }
mkdir -p "$out"
words=(zero one two three four five six seven eight nine)
: >"$out/train.list"
: >"$out/test.list"
src=$(cd "$src" && pwd)
while IFS= read -r f; do
  name=${f%.wav}
  IFS=_ read -r digit speaker take <<<"$name"
  line="$src/$f ${words[$digit]}"
  if [[ -n $holdout ]]; then
    if [[ $speaker == "$holdout" ]]; then echo "$line" >>"$out/test.list"; else echo "$line" >>"$out/train.list"; fi
  elif ((take < 5)); then
    echo "$line" >>"$out/test.list"
  else
    echo "$line" >>"$out/train.list"
  fi
done < <(cd "$src" && ls -- *_*_*.wav | LC_ALL=C sort)
[[ -s $out/test.list ]] || { echo "make_lists.sh: no test recordings${holdout:+ for speaker $holdout}" >&2; exit 1; }
echo "$(wc -l <"$out/train.list") training, $(wc -l <"$out/test.list") test recordings -> $out" >&2
