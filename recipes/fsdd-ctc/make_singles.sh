#!/usr/bin/env bash
# Writes a Kaldi data dir (wav.scp, text, utt2spk, spk2utt) of single-digit
# recordings, the input of `auris make-digits`.
#   make_singles.sh fsdd FSDD_RECORDINGS_DIR OUT_DIR SELECT
#     SELECT: train          takes 5-49 of every speaker
#             test           takes 0-4 of every speaker
#             train-no:SPK   takes 5-49 of every speaker but SPK
#             speaker:SPK    all takes of SPK
#   make_singles.sh synth SYNTH_LIST OUT_DIR
#     synth.sh's list; each voice setting (file name without the word) is a speaker
# Utterance ids are "<speaker>-<rest>", so Kaldi's sort order groups speakers.
set -euo pipefail
kind=${1:?fsdd or synth}
src=${2:?input}
out=${3:?output directory}
select=${4:-}
words=(zero one two three four five six seven eight nine)
mkdir -p "$out"
tmp=$out/lines.tmp
: >"$tmp"
case $kind in
  fsdd)
    [[ -d $src ]] || { echo "make_singles.sh: $src: no such directory" >&2; exit 1; }
    src=$(cd "$src" && pwd)
    while IFS= read -r f; do
      IFS=_ read -r digit speaker take <<<"${f%.wav}"
      case $select in
        train) ((take >= 5)) || continue ;;
        test) ((take < 5)) || continue ;;
        train-no:*) ((take >= 5)) && [[ $speaker != "${select#train-no:}" ]] || continue ;;
        speaker:*) [[ $speaker == "${select#speaker:}" ]] || continue ;;
        *) echo "make_singles.sh: unknown selection '$select'" >&2; exit 2 ;;
      esac
      printf '%s-%s_%s %s %s %s\n' "$speaker" "$digit" "$take" "$src/$f" "${words[$digit]}" "$speaker" >>"$tmp"
    done < <(cd "$src" && ls -- *_*_*.wav)
    ;;
  synth)
    [[ -s $src ]] || { echo "make_singles.sh: $src: missing or empty" >&2; exit 1; }
    while read -r wav word; do
      base=$(basename "$wav" .wav)
      speaker=${base%_"$word"}
      printf '%s-%s %s %s %s\n' "$speaker" "$word" "$wav" "$word" "$speaker" >>"$tmp"
    done <"$src"
    ;;
  *) echo "make_singles.sh: first argument is fsdd or synth" >&2; exit 2 ;;
esac
[[ -s $tmp ]] || { echo "make_singles.sh: nothing selected ($kind $select)" >&2; exit 1; }
LC_ALL=C sort "$tmp" -o "$tmp"
awk '{print $1, $2}' "$tmp" >"$out/wav.scp"
awk '{print $1, $3}' "$tmp" >"$out/text"
awk '{print $1, $4}' "$tmp" >"$out/utt2spk"
awk '{a[$2] = a[$2] " " $1} END {for (s in a) print s a[s]}' "$out/utt2spk" | LC_ALL=C sort >"$out/spk2utt"
rm -f "$tmp"
echo "$(wc -l <"$out/wav.scp") recordings of $(wc -l <"$out/spk2utt") speakers -> $out" >&2
