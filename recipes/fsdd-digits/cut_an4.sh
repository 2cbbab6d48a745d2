#!/usr/bin/env bash
# Cuts isolated digit words out of AN4's connected digit strings, for
# training and testing the digit classifier on real speakers. Word times come
# from a CTC FORCED ALIGNMENT of the known reference text with a digit CTC
# model (`auris transcribe --align --word-times labels`: the reference words
# placed by CTC Viterbi); no decoded word is trusted. The causal model's label
# fires at (or just after) the end of its word, so word k is the audio from
# word k-1's label to its own, at most MAX_MS (the first word: MAX_MS before
# its label), plus MARGIN ms on both sides, clipped to the recording. (The
# model's boundary head, never trained on AN4, places AN4 words ~0.3 s early:
# cuts by it held the previous word.) "oh" is cut and labelled "zero" (what a
# user saying it means). Words whose aligned label has confidence < MIN_CONF
# (the model barely hears them there, e.g. a word cut off by the recording's
# end) are dropped and counted. The cut times go to OUT_DIR/segments
# (Kaldi format: <uttid>-<k>-<word> <uttid> <start> <end>).
# The heuristic depends on where a model fires: a model stepping every 30 ms
# (--stack-frames 3) fires up to 0.2 s inside its words, and its cuts hold the
# previous word's end. So the recipes cut with fixed segments made once
# (an4-segments/, see README) rather than with whichever model is shipped:
# --segments FILE cuts those times instead of aligning.
#   cut_an4.sh --model CTC.safetensors [--margin-ms 100] [--max-ms 800] [--min-conf 0.5] DATA_DIR OUT_DIR
#   cut_an4.sh --segments FILE DATA_DIR OUT_DIR
#     DATA_DIR: a Kaldi dir of recipes/an4/prepare.sh (train-digits, dev-digits
#     or test-digits); utterance ids start with the speaker.
#   Writes OUT_DIR/segments, OUT_DIR/words.ctm (where each reference word's
#   label fires; not with --segments),
#   OUT_DIR/wav/<uttid>-<k>-<word>.wav (16-bit, the recording's rate) and
#   OUT_DIR/cuts.list ("<wav> <word>").
# Uses $AURIS or build/release/apps/auris/auris, and sox.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
model=
segments=
margin_ms=100
min_conf=0.5
max_ms=800
while (($#)); do
  case $1 in
    --model) model=$2; shift 2 ;;
    --segments) segments=$2; shift 2 ;;
    --margin-ms) margin_ms=$2; shift 2 ;;
    --min-conf) min_conf=$2; shift 2 ;;
    --max-ms) max_ms=$2; shift 2 ;;
    -h|--help) sed -n '2,/^[^#]/{/^#/p}' "$0"; exit 0 ;;
    -*) echo "cut_an4.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
    *) break ;;
  esac
done
data=${1:?usage: cut_an4.sh --model CTC.safetensors DATA_DIR OUT_DIR}
out=${2:?usage: cut_an4.sh --model CTC.safetensors DATA_DIR OUT_DIR}
[[ -n $model || -n $segments ]] || { echo "cut_an4.sh: --model CTC.safetensors or --segments FILE is required" >&2; exit 2; }
[[ -z $segments || -s $segments ]] || { echo "cut_an4.sh: $segments: missing or empty" >&2; exit 1; }
for f in wav.scp text; do
  [[ -s $data/$f ]] || { echo "cut_an4.sh: $data/$f: missing or empty" >&2; exit 1; }
done
command -v sox >/dev/null || { echo "cut_an4.sh: sox not found (scripts/install-deps.sh --dev)" >&2; exit 1; }
auris=${AURIS:-$root/build/release/apps/auris/auris}
mkdir -p "$out/wav"
out=$(cd "$out" && pwd)   # absolute paths in the list
if [[ -n $segments ]]; then
  cp "$segments" "$out/segments.in"
  echo "0 dropped (given segments)" >"$out/dropped"
else
  "$auris" transcribe --model "$model" --align "$data/text" --word-times labels --timestamps "scp:$data/wav.scp" >"$out/words.ctm.tmp"
  mv "$out/words.ctm.tmp" "$out/words.ctm"
  # ctm: <uttid> 1 <start> <duration> <word> <conf>, in utterance order; times
  # are where each word's CTC label fires, which for a causal model stepping
  # every 10 ms is at (or just after) the word's end. Word k is the audio
  # between the previous word's label and its own, at most MAX_MS long (a
  # pause before it is silence); the first word gets MAX_MS before its label.
  awk -v m="$margin_ms" -v c="$min_conf" -v max="$max_ms" '
    {
      if ($1 != last) { k = 0; prev = -1; last = $1 }
      k++
      fire = $3 + $4
      start = fire - max / 1000
      if (prev >= 0 && prev > start) start = prev
      prev = fire
      if ($6 < c) { unsure++; next }
      start -= m / 1000; if (start < 0) start = 0
      printf "%s-%d-%s %s %.3f %.3f\n", $1, k, $5, $1, start, fire + m / 1000
    }
    END { printf "%d dropped (confidence < %s)", unsure, c > "/dev/stderr" }' "$out/words.ctm" >"$out/segments.in" 2>"$out/dropped"
fi

# Every segment's recording must be in DATA_DIR; "oh" is labelled zero.
awk 'FNR == NR { wav[$1] = $2; next }
  !($2 in wav) { printf "cut_an4.sh: segment %s: recording %s is not in the data dir\n", $1, $2 > "/dev/stderr"; bad = 1; exit }
  { n = split($1, p, "-"); word = (p[n] == "oh") ? "zero" : p[n]; print wav[$2], word, $3, $4, $1 }
  END { exit bad }' "$data/wav.scp" "$out/segments.in" >"$out/cuts.tmp"
: >"$out/cuts.list.tmp"
: >"$out/segments.tmp"
while read -r wav word start end name; do
  dur=$(soxi -D "$wav")
  # sox pads nothing past the end: trim to the recording's length
  end=$(awk -v e="$end" -v d="$dur" 'BEGIN { printf "%.3f", (e < d) ? e : d }')
  sox "$wav" -b 16 "$out/wav/$name.wav" trim "$start" "=$end"
  echo "$out/wav/$name.wav $word" >>"$out/cuts.list.tmp"
  echo "$name ${name%-*-*} $start $end" >>"$out/segments.tmp"
done <"$out/cuts.tmp"
rm -f "$out/cuts.tmp" "$out/segments.in"
mv "$out/segments.tmp" "$out/segments"
mv "$out/cuts.list.tmp" "$out/cuts.list"
echo "$(wc -l <"$out/cuts.list") words cut, $(cat "$out/dropped") -> $out/cuts.list" >&2
