#!/usr/bin/env bash
# Synthesises spoken digits with espeak-ng (6 English accents x 12 voice
# variants x 2 rates, pitch varied) and flite (kal, slt, awb x 3 tempos),
# 8 kHz mono 16-bit, edge silence trimmed like FSDD's recordings. Writes
# OUT/synth.list ("<wav> <word>"). Deterministic: same files on every run.
#   synth.sh OUT_DIR
set -euo pipefail
out=${1:?output directory}
for tool in espeak-ng flite sox; do
  command -v "$tool" >/dev/null || { echo "synth.sh: $tool not found (scripts/install-deps.sh --dev)" >&2; exit 1; }
done
mkdir -p "$out/wav"
out=$(cd "$out" && pwd)   # absolute paths in the list: it is read from other folders
words=(zero one two three four five six seven eight nine)
langs=(en-us en-gb en-gb-scotland en-gb-x-rp en-029 en-gb-x-gbclan)
variants=(m1 m2 m3 m4 m5 m6 m7 f1 f2 f3 f4 f5)
list=$out/synth.list
: >"$list.tmp"
trim() {  # raw synthesiser output -> 8 kHz mono 16-bit, leading/trailing silence removed
  sox -D "$1" -r 8000 -c 1 -b 16 "$2" silence 1 0.01 0.5% reverse silence 1 0.01 0.5% reverse norm -3
}
n=0
for word in "${words[@]}"; do
  for lang in "${langs[@]}"; do
    for v in "${variants[@]}"; do
      for rate in 130 175; do
        pitch=$(( (n * 37) % 70 + 15 ))   # spread of pitches, fixed per file
        f=$out/wav/espeak_${lang}_${v}_${rate}_$word.wav
        espeak-ng -v "$lang+$v" -s "$rate" -p "$pitch" -w "$out/raw.wav" "$word"
        trim "$out/raw.wav" "$f"
        echo "$f $word" >>"$list.tmp"
        n=$((n + 1))
      done
    done
  done
  for voice in kal slt awb; do
    for stretch in 0.85 1.0 1.2; do
      f=$out/wav/flite_${voice}_${stretch}_$word.wav
      flite -voice "$voice" --setf duration_stretch="$stretch" -t "$word" -o "$out/raw.wav"
      trim "$out/raw.wav" "$f"
      echo "$f $word" >>"$list.tmp"
    done
  done
done
rm -f "$out/raw.wav"
mv "$list.tmp" "$list"
echo "$(wc -l <"$list") synthetic digits -> $list" >&2
