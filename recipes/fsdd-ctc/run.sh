#!/usr/bin/env bash
# Trains the connected-digit CTC recogniser (TIDIGITS-style strings built
# from FSDD, plus AN4's real digit strings) and evaluates it: WER and word
# timing on test set (a), strings of takes 0-4 of all six speakers, never
# trained on; WER on test set (c), AN4's 23 digit-only test utterances by
# 10 speakers never heard. Roles: train = FSDD takes 5-49 + synthetic voices
# + AN4 training speakers; valid (the only data choices look at) = FSDD
# takes 5-49 strings + AN4 dev speakers; tests (a)-(c) decoded once, at the end.
#   recipes/fsdd-ctc/run.sh [--fsdd DIR] [--an4 DIR] [--out DIR] [--install] [--seed S]
#                           [--holdout SPEAKER] [--no-synth] [--no-an4] [--epochs N] [--strings N]
#                           [-- extra train options]
#   --holdout   train without SPEAKER at all; test set (b) = strings of SPEAKER
#   --no-synth  FSDD only (default: add strings of espeak-ng / flite digits)
#   --no-an4    without AN4 (default: its training speakers' digit strings,
#               AN4_REPEAT copies, in training; "oh" joins the words)
#   --strings   FSDD training strings (default TRAIN_STRINGS in options.sh)
#   --install   copy the model to data/models/digits-ctc.safetensors
# Uses $AURIS or build/release/apps/auris/auris (built if missing).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
fsdd=$root/../shared/data/fsdd/recordings
an4=$root/../shared/data/an4
use_an4=1
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
    --an4) an4=$2; shift 2 ;;
    --no-an4) use_an4=0; shift ;;
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
valid=$work/valid
if ((use_an4)); then
  [[ -s $out/an4/test-digits/text ]] || "$root/recipes/an4/prepare.sh" --an4 "$an4" "$out/an4"
  "$here/repeat_data.sh" "$out/an4/train-digits" "$work/train-an4" "$AN4_REPEAT"
  parts+=("$work/train-an4")
  "$here/combine_data.sh" "$work/valid+an4" "$work/valid" "$out/an4/dev-digits"
  valid=$work/valid+an4
fi
"$here/combine_data.sh" "$work/train" "${parts[@]}"

"$auris" train --task ctc --train "kaldi:$work/train" --valid "kaldi:$valid" --out "$work/digits-ctc.safetensors" \
  --seed "$seed" --epochs "${epochs:-$EPOCHS}" "${FEATURE_OPTIONS[@]}" "${MODEL_OPTIONS[@]}" "${TRAIN_OPTIONS[@]}" \
  "${AUGMENT_OPTIONS[@]}" "${extra[@]}"
echo "test (a): FSDD strings of takes 0-4${holdout:+ (b: $holdout)}"
"$auris" eval --model "$work/digits-ctc.safetensors" --data "kaldi:$work/test" --json-out "$work/eval.json" |
  sed -n 1,3p
if ((use_an4)); then
  echo "test (c): AN4 digit-only test utterances, 10 speakers never heard"
  "$auris" eval --model "$work/digits-ctc.safetensors" --data "kaldi:$out/an4/test-digits" \
    --json-out "$work/eval-an4.json" | sed -n 1,3p
fi
if ((install)); then
  mkdir -p "$root/data/models"
  cp "$work/digits-ctc.safetensors" "$root/data/models/digits-ctc.safetensors"
  echo "installed $root/data/models/digits-ctc.safetensors"
fi
