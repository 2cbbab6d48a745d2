#!/usr/bin/env bash
# Trains the spoken-digit classifier from scratch on the Free Spoken Digit
# Dataset (official split: takes 5-49 train, takes 0-4 test) and evaluates it.
#   recipes/fsdd-digits/run.sh [--fsdd DIR] [--out DIR] [--install] [--seed S]
#                              [--holdout SPEAKER] [--members K] [--threads N]
#                              [-- extra auris train options]
#   --install   copy the model to data/models/digits.safetensors
#   --holdout   leave-one-speaker-out: train without SPEAKER, test on all of it
#   --no-synth  FSDD only (default: add espeak-ng / flite digits, synth.sh)
#   --members K ensemble of K models, seeds SEED..SEED+K-1 (default: MEMBERS in options.sh)
#   --threads N threads per member (default: 1, members train two at a time;
#               2 for a member that trains alone)
# Uses $AURIS or build/release/apps/auris/auris (built if missing).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
fsdd=$root/../shared/data/fsdd/recordings
out=$root/build/recipes/fsdd-digits
install=0
seed=1
holdout=
synth=1
members=
threads=
extra=()
while (($#)); do
  case $1 in
    --fsdd) fsdd=$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    --install) install=1; shift ;;
    --seed) seed=$2; shift 2 ;;
    --holdout) holdout=$2; shift 2 ;;
    --no-synth) synth=0; shift ;;
    --members) members=$2; shift 2 ;;
    --threads) threads=$2; shift 2 ;;
    --) shift; extra=("$@"); break ;;
    -h|--help) sed -n '2,/^[^#]/{/^#/p}' "$0"; exit 0 ;;
    *) echo "run.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done
[[ -d $fsdd ]] || { echo "run.sh: FSDD not found at $fsdd (use --fsdd DIR)" >&2; exit 1; }
auris=${AURIS:-$root/build/release/apps/auris/auris}
if [[ ! -x $auris ]]; then
  cmake -S "$root" -B "$root/build/release" -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
  cmake --build "$root/build/release" --target auris -j"$(nproc)"
fi

work=$out/${holdout:-official}
"$here/make_lists.sh" "$fsdd" "$work" $holdout
train_list=$work/train.list
if ((synth)); then
  [[ -s $out/synth/synth.list ]] || "$here/synth.sh" "$out/synth"
  cat "$work/train.list" "$out/synth/synth.list" >"$work/train+synth.list"
  train_list=$work/train+synth.list
fi
# shellcheck source=recipes/fsdd-digits/options.sh
source "$here/options.sh"
members=${members:-$MEMBERS}
trap 'kill $(jobs -p) 2>/dev/null || true' EXIT   # no member left training after a failure or Ctrl-C
# Members with seeds seed, seed+1, ...: two at a time on one thread each
# (results do not depend on the thread count), then combined.
train_member() {  # index, threads
  "$auris" train --train "list:$train_list" --out "$work/member$1.safetensors" --seed $((seed + $1)) \
    --threads "$2" "${FEATURE_OPTIONS[@]}" "${MODEL_OPTIONS[@]}" "${TRAIN_OPTIONS[@]}" "${AUGMENT_OPTIONS[@]}" \
    "${extra[@]}" 2>"$work/member$1.log" || { echo "run.sh: member $1 failed, see $work/member$1.log" >&2; return 1; }
  echo "member $1: $(grep -E '^(done|early stop):' "$work/member$1.log")" >&2
}
pids=()
for ((k = 0; k < members; k++)); do
  t=${threads:-1}
  [[ -z $threads ]] && ((members - k == 1 && k % 2 == 0)) && t=2   # a last member alone gets both cores
  train_member "$k" "$t" & pids+=($!)
  if ((k % 2 == 1 || k == members - 1)); then
    failed=0
    for pid in "${pids[@]}"; do wait "$pid" || failed=1; done
    ((failed == 0)) || exit 1
    pids=()
  fi
done
if ((members == 1)); then
  mv "$work/member0.safetensors" "$work/digits.safetensors"
else
  member_files=()
  for ((k = 0; k < members; k++)); do member_files+=("$work/member$k.safetensors"); done
  "$auris" ensemble --out "$work/digits.safetensors" "${member_files[@]}"
fi
"$auris" eval --model "$work/digits.safetensors" --data "list:$work/test.list" --json-out "$work/eval.json" | sed -n 1p
if ((install)); then
  mkdir -p "$root/data/models"
  cp "$work/digits.safetensors" "$root/data/models/digits.safetensors"
  echo "installed $root/data/models/digits.safetensors"
fi
