#!/usr/bin/env bash
# Fresh machine → the main job on the bundled example: installs what is
# missing, builds Release, extracts Kaldi MFCCs from data/samples/ and prints
# them (Kaldi text ark) with a summary.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
cmake -S . -B build/release -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build/release -j"$(nproc)" --target auris
auris=build/release/apps/auris/auris

out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
echo "== auris features --type mfcc data/samples/ -> ark,scp (Kaldi defaults)"
"$auris" features --type mfcc data/samples ark,scp:"$out/feats.ark","$out/feats.scp"
echo "== feats.scp"
cat "$out/feats.scp"
echo "== first 3 frames of each utterance (text ark)"
"$auris" features --type mfcc data/samples ark,t:- 2>/dev/null | awk '/\[/{n=0} {if (n++ < 4) print}'
