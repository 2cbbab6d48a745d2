#!/usr/bin/env bash
# Joins Kaldi data dirs (wav.scp, text, utt2spk, optional words.ctm) into
# one, like Kaldi's utils/combine_data.sh; utterance ids must be distinct.
# Utterances of a dir without words.ctm stay untimed in the joined one.
#   combine_data.sh OUT_DIR IN_DIR...
set -euo pipefail
out=${1:?output directory}
shift
mkdir -p "$out"
rm -f "$out/words.ctm"
for f in wav.scp text utt2spk words.ctm; do
  have=()
  for d in "$@"; do
    if [[ -s $d/$f ]]; then have+=("$d/$f")
    elif [[ $f != words.ctm ]]; then echo "combine_data.sh: $d/$f missing" >&2; exit 1
    fi
  done
  ((${#have[@]})) || continue
  cat "${have[@]}" | LC_ALL=C sort -s -k1,1 >"$out/$f"
done
dups=$(cut -d' ' -f1 "$out/wav.scp" | uniq -d | head -3)
[[ -z $dups ]] || { echo "combine_data.sh: duplicate utterance ids: $dups" >&2; exit 1; }
awk '{a[$2] = a[$2] " " $1} END {for (s in a) print s a[s]}' "$out/utt2spk" | LC_ALL=C sort >"$out/spk2utt"
echo "$(wc -l <"$out/wav.scp") utterances -> $out" >&2
