#!/usr/bin/env bash
# Feature-extraction benchmarks for issue #2, all measured in this run:
#  1. MFCC (Kaldi defaults) × real time, single thread, and the ratio to
#     torchaudio.compliance.kaldi.mfcc on the same >= 10 min of 16 kHz speech
#     (bench/torchaudio_mfcc.py);
#  2. `auris features` on a batch of files: 2 threads vs 1 thread;
#  3. peak RSS of `auris features` on one 1-hour 16 kHz WAV file.
# Usage: bench/run_features_bench.sh [build dir, default build/release]
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build/release}
cmake --build "$build" --target auris features_bench >/dev/null
auris=$build/apps/auris/auris
export OMP_WAIT_POLICY=PASSIVE
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

echo "== 1. MFCC speed, 1 thread, vs torchaudio"
/usr/bin/python3 bench/torchaudio_mfcc.py --bench "$build/bench/features_bench" --shared ../shared

echo "== 2. auris features over a batch of files: 1 vs 2 threads"
fsdd=../shared/data/fsdd/recordings
mkdir -p "$work/batch"
# 200 files of ~30 s (enough work per file that start-up costs do not hide
# the scaling): FSDD recordings concatenated and upsampled by sox, or espeak-ng.
for i in $(seq 0 199); do
  if [ -d "$fsdd" ]; then
    ls "$fsdd" | awk -v i="$i" 'NR % 50 == i % 50' | head -60 | sed "s|^|$fsdd/|" >"$work/list"
    sox $(cat "$work/list") -r 16000 "$work/batch/f$i.wav"
  else
    espeak-ng -w "$work/e.wav" "$(seq -s ' ' $i $((i + 60)))"
    sox "$work/e.wav" -r 16000 "$work/batch/f$i.wav"
  fi
done
echo "$(ls "$work/batch" | wc -l) files, $(soxi -DT "$work"/batch/*.wav | cut -d. -f1) s of audio"
for t in 1 2; do
  s=$( { /usr/bin/time -f "%e" "$auris" features -q --num-threads $t "$work/batch" ark:"$work/b$t.ark" \
           2>&1 >/dev/null; } | tail -1)
  echo "threads=$t wall=${s}s"
  eval "wall$t=$s"
done
cmp -s "$work/b1.ark" "$work/b2.ark" && echo "outputs identical" || { echo "outputs differ"; exit 1; }
python3 -c "print(f'speed-up 2 threads / 1 thread: {$wall1 / $wall2:.2f}x (target >= 1.8x)')"

echo "== 3. peak RSS on a 1-hour file"
sox -n -r 16000 -b 16 -c 1 "$work/hour.wav" synth 3600 pinknoise vol 0.3
rss=$( { /usr/bin/time -f "%M %e" "$auris" features -q "$work/hour.wav" ark:"$work/hour.ark" \
         2>&1 >/dev/null; } | tail -1)
set -- $rss
echo "1 h of 16 kHz audio: peak RSS $(( $1 / 1024 )) MB (target < 100 MB), wall $2 s"
