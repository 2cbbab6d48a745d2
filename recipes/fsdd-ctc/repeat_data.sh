#!/usr/bin/env bash
# Writes N copies of a Kaldi data dir's utterances (ids "<id>-r<k>") into one
# dir, so a small set of real recordings weighs more among many generated
# ones; augmentation makes each copy sound different.
#   repeat_data.sh IN_DIR OUT_DIR N
set -euo pipefail
in=${1:?input directory}
out=${2:?output directory}
n=${3:?number of copies}
mkdir -p "$out"
for f in wav.scp text utt2spk; do
  [[ -s $in/$f ]] || { echo "repeat_data.sh: $in/$f missing" >&2; exit 1; }
  awk -v n="$n" '{ id = $1; for (k = 1; k <= n; k++) { $1 = id "-r" k; print } }' "$in/$f" |
    LC_ALL=C sort -s -k1,1 >"$out/$f"
done
awk '{ a[$2] = a[$2] " " $1 } END { for (s in a) print s a[s] }' "$out/utt2spk" | LC_ALL=C sort >"$out/spk2utt"
