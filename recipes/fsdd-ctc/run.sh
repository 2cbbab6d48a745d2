#!/usr/bin/env bash
# Trains the connected-digit CTC recogniser (TIDIGITS-style strings built
# from FSDD) and evaluates it: WER and word timing on test set (a), strings
# of takes 0-4 of all six speakers, never trained on.
#   recipes/fsdd-ctc/run.sh [--fsdd DIR] [--out DIR] [--install] [--seed S]
#                           [--holdout SPEAKER] [--no-synth] [--epochs N] [--strings N]
#                           [-- extra train options]
#   --holdout   train without SPEAKER at all; test set (b) = strings of SPEAKER
#   --no-synth  FSDD only (default: add strings of espeak-ng / flite digits)
#   --strings   FSDD training strings (default TRAIN_STRINGS in options.sh)
#   --install   copy the model to data/models/digits-ctc.safetensors
# Uses $AURIS or build/release/apps/auris/auris (built if missing).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
fsdd=$root/../shared/data/fsdd/recordings
out=$root/build/recipes/fsdd-ctc
install=0
seed=1
holdout=
synth=1
epochs=
strings=
extra=()
while (($#)); do
  case $1 in
    --fsdd) fsdd=$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    --install) install=1; shift ;;
    --seed) seed=$2; shift 2 ;;
    --holdout) holdout=$2; shift 2 ;;
    --no-synth) synth=0; shift ;;
    --epochs) epochs=$2; shift 2 ;;
    --strings) strings=$2; shift 2 ;;
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
# shellcheck source=recipes/fsdd-ctc/options.sh
source "$here/options.sh"
mk() {
  "$auris" make-digits --sample-frequency 8000 "$@" >/dev/null 2>"$work/make-digits.log" ||
    { cat "$work/make-digits.log" >&2; exit 1; }
}

# Single digits -> strings. Test strings come only from recordings never trained on.
work=$out/${holdout:-official}
mkdir -p "$work"
if [[ -n $holdout ]]; then
  "$here/make_singles.sh" fsdd "$fsdd" "$work/singles-train" "train-no:$holdout"
  "$here/make_singles.sh" fsdd "$fsdd" "$work/singles-test" "speaker:$holdout"
else
  "$here/make_singles.sh" fsdd "$fsdd" "$work/singles-train" train
  "$here/make_singles.sh" fsdd "$fsdd" "$work/singles-test" test
fi
mk --data "kaldi:$work/singles-train" --out "$work/train-fsdd" --num-utts "${strings:-$TRAIN_STRINGS}" \
  "${TRAIN_NOISE[@]}" --seed 1
mk --data "kaldi:$work/singles-train" --out "$work/valid" --num-utts 200 --seed 5
mk --data "kaldi:$work/singles-test" --out "$work/test" --num-utts 300 --seed 2
parts=("$work/train-fsdd")
if ((synth)); then
  [[ -s $out/synth/synth.list ]] || "$root/recipes/fsdd-digits/synth.sh" "$out/synth"
  [[ -s $out/synth-singles/wav.scp ]] || "$here/make_singles.sh" synth "$out/synth/synth.list" "$out/synth-singles"
  mk --data "kaldi:$out/synth-singles" --out "$work/train-synth" --num-utts "$SYNTH_STRINGS" "${TRAIN_NOISE[@]}" \
    --seed 11
  parts+=("$work/train-synth")
fi
"$here/combine_data.sh" "$work/train" "${parts[@]}"

"$auris" train --task ctc --train "kaldi:$work/train" --valid "kaldi:$work/valid" --out "$work/digits-ctc.safetensors" \
  --seed "$seed" --epochs "${epochs:-$EPOCHS}" "${FEATURE_OPTIONS[@]}" "${MODEL_OPTIONS[@]}" "${TRAIN_OPTIONS[@]}" \
  "${AUGMENT_OPTIONS[@]}" "${extra[@]}"
"$auris" eval --model "$work/digits-ctc.safetensors" --data "kaldi:$work/test" --json-out "$work/eval.json" |
  sed -n 1,3p
if ((install)); then
  mkdir -p "$root/data/models"
  cp "$work/digits-ctc.safetensors" "$root/data/models/digits-ctc.safetensors"
  echo "installed $root/data/models/digits-ctc.safetensors"
fi
