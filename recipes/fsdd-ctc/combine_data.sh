#!/usr/bin/env bash
# Joins Kaldi data dirs (wav.scp, text, utt2spk, words.ctm) into one, like
# Kaldi's utils/combine_data.sh; utterance ids must be distinct.
#   combine_data.sh OUT_DIR IN_DIR...
set -euo pipefail
out=${1:?output directory}
shift
mkdir -p "$out"
for f in wav.scp text utt2spk words.ctm; do
  for d in "$@"; do
    [[ -s $d/$f ]] || { echo "combine_data.sh: $d/$f missing" >&2; exit 1; }
    cat "$d/$f"
  done | LC_ALL=C sort -s -k1,1 >"$out/$f"
done
dups=$(cut -d' ' -f1 "$out/wav.scp" | uniq -d | head -3)
[[ -z $dups ]] || { echo "combine_data.sh: duplicate utterance ids: $dups" >&2; exit 1; }
awk '{a[$2] = a[$2] " " $1} END {for (s in a) print s a[s]}' "$out/utt2spk" | LC_ALL=C sort >"$out/spk2utt"
echo "$(wc -l <"$out/wav.scp") utterances -> $out" >&2
