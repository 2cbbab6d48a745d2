#!/usr/bin/env bash
# Trains the AN4 recogniser (streaming character CTC) and evaluates it once
# on AN4's test set. Roles (prepare.sh): train = 67 training speakers; dev =
# 7 other training speakers, where every choice is made; test = AN4's 10
# test speakers, decoded once at the end.
#   recipes/an4/run.sh [--an4 DIR] [--out DIR] [--install] [--seed S] [--epochs N]
#                      [--threads N] [-- extra auris train options]
#   --install   copy the model to data/models/an4.safetensors
# Uses $AURIS or build/release/apps/auris/auris (built if missing).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
an4=$root/../shared/data/an4
out=$root/build/recipes/an4
install=0
seed=1
epochs=
threads=2
extra=()
while (($#)); do
  case $1 in
    --an4) an4=$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    --install) install=1; shift ;;
    --seed) seed=$2; shift 2 ;;
    --epochs) epochs=$2; shift 2 ;;
    --threads) threads=$2; shift 2 ;;
    --) shift; extra=("$@"); break ;;
    -h|--help) sed -n '2,/^[^#]/{/^#/p}' "$0"; exit 0 ;;
    *) echo "run.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done
auris=${AURIS:-$root/build/release/apps/auris/auris}
if [[ ! -x $auris ]]; then
  cmake -S "$root" -B "$root/build/release" -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
  cmake --build "$root/build/release" --target auris -j"$(nproc)"
fi
# shellcheck source=recipes/an4/options.sh
source "$here/options.sh"

data=$out/data
"$here/prepare.sh" --an4 "$an4" "$data"
model=$out/an4.safetensors
"$auris" train --task ctc --train "kaldi:$data/train" --valid "kaldi:$data/dev" --out "$model" \
  --seed "$seed" --epochs "${epochs:-$EPOCHS}" --threads "$threads" "${FEATURE_OPTIONS[@]}" "${MODEL_OPTIONS[@]}" \
  "${TRAIN_OPTIONS[@]}" "${AUGMENT_OPTIONS[@]}" "${extra[@]}"
echo "dev (7 training-side speakers):"
"$auris" eval --model "$model" --data "kaldi:$data/dev" --json-out "$out/dev.json" | sed -n 1,3p
echo "test (10 speakers never heard; decoded once):"
"$auris" eval --model "$model" --data "kaldi:$data/test" --json-out "$out/test.json" | sed -n 1,3p
if ((install)); then
  mkdir -p "$root/data/models"
  cp "$model" "$root/data/models/an4.safetensors"
  echo "installed $root/data/models/an4.safetensors"
fi
