#!/usr/bin/env bash
# Robust-input variants of a list of isolated words ("<wav> <word>", e.g. the
# AN4 test cuts of cut_an4.sh), for issue 24's check that a model copes with
# untrimmed, resampled and quiet input:
#   OUT_DIR/pad-noise.list    2 s of low brown noise (-45 dBFS RMS, room-like) before and after
#   OUT_DIR/pad-silence.list  2 s of digital silence before and after
#   OUT_DIR/48k.list          resampled to 48 kHz
#   OUT_DIR/quiet.list        20 dB quieter
# Deterministic (the noise is seeded).
#   robust_inputs.sh LIST OUT_DIR
set -euo pipefail
list=${1:?usage: robust_inputs.sh LIST OUT_DIR}
out=${2:?usage: robust_inputs.sh LIST OUT_DIR}
[[ -s $list ]] || { echo "robust_inputs.sh: $list: missing or empty" >&2; exit 1; }
command -v sox >/dev/null || { echo "robust_inputs.sh: sox not found (scripts/install-deps.sh --dev)" >&2; exit 1; }
mkdir -p "$out"/{pad-noise,pad-silence,48k,quiet}
out=$(cd "$out" && pwd)
for v in pad-noise pad-silence 48k quiet; do : >"$out/$v.list.tmp"; done
k=0
while read -r wav word; do
  name=$(basename "$wav")
  rate=$(soxi -r "$wav")
  k=$((k + 1))
  # 2-s stretches of one seeded 10-s noise, at an offset that moves with the file
  [[ -s $out/noise-$rate.wav ]] || sox -R -n -r "$rate" -c 1 -b 16 "$out/noise-$rate.wav" synth 10 brownnoise vol 0.01
  off=$(( (k * 37) % 60 ))
  sox "$out/noise-$rate.wav" "$out/noise-a.wav" trim "0.$((off % 10))" 2
  sox "$out/noise-$rate.wav" "$out/noise-b.wav" trim "$((off / 10 + 2))" 2
  sox "$out/noise-a.wav" "$wav" "$out/noise-b.wav" "$out/pad-noise/$name"
  sox "$wav" "$out/pad-silence/$name" pad 2 2
  sox -D "$wav" -r 48000 "$out/48k/$name"  # -D: no (random) dither, same output every run
  sox -D "$wav" "$out/quiet/$name" vol -20dB
  for v in pad-noise pad-silence 48k quiet; do echo "$out/$v/$name $word" >>"$out/$v.list.tmp"; done
done <"$list"
rm -f "$out"/noise-*.wav
for v in pad-noise pad-silence 48k quiet; do mv "$out/$v.list.tmp" "$out/$v.list"; done
echo "$k words x 4 variants -> $out/{pad-noise,pad-silence,48k,quiet}.list" >&2
