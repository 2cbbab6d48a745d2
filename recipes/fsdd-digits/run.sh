#!/usr/bin/env bash
# Trains the spoken-digit classifier from scratch on the Free Spoken Digit
# Dataset (official split: takes 5-49 train, takes 0-4 test), synthetic
# voices and digit words cut out of AN4's real digit strings, and evaluates it.
# Roles: train = FSDD takes 5-49 + synthetic voices + AN4 training speakers'
# cuts; dev (every choice: best epoch per member, ensemble or one member) =
# cuts of AN4's 7 dev speakers; tests, decoded once at the end: FSDD takes
# 0-4 (seen speakers) and cuts of AN4's 10 test speakers (never heard).
#   recipes/fsdd-digits/run.sh [--fsdd DIR] [--an4 DIR] [--out DIR] [--install] [--seed S]
#                              [--holdout SPEAKER] [--members K] [--threads N]
#                              [-- extra auris train options]
#   --install   copy the model to data/models/digits.safetensors
#   --holdout   leave-one-speaker-out: train without SPEAKER, test on all of it
#   --no-synth  FSDD only (default: add espeak-ng / flite digits, synth.sh)
#   --no-an4    without AN4 (the model before issue 24: no dev set, last epoch)
#   --lists-only  write the data lists (and AN4 cuts) and stop: no training
#   --ctc MODEL cut AN4's words by this CTC model's forced alignment
#               (cut_an4.sh) instead of the fixed segments in an4-segments/
#   --members K ensemble of K models, seeds SEED..SEED+K-1 (default: MEMBERS in options.sh)
#   --threads N threads per member (default: 1, members train two at a time;
#               2 for a member that trains alone)
# Uses $AURIS or build/release/apps/auris/auris (built if missing).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
fsdd=$root/../shared/data/fsdd/recordings
an4=$root/../shared/data/an4
use_an4=1
ctc=
out=$root/build/recipes/fsdd-digits
install=0
lists_only=0
seed=1
holdout=
synth=1
members=
threads=
extra=()
while (($#)); do
  case $1 in
    --fsdd) fsdd=$2; shift 2 ;;
    --an4) an4=$2; shift 2 ;;
    --no-an4) use_an4=0; shift ;;
    --ctc) ctc=$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    --install) install=1; shift ;;
    --lists-only) lists_only=1; shift ;;
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
valid=()
if ((use_an4)); then
  # AN4 roles by speaker (recipes/an4/prepare.sh); the test speakers' cuts are only ever evaluated.
  [[ -s $out/an4/test-digits/text ]] || "$root/recipes/an4/prepare.sh" --an4 "$an4" "$out/an4"
  for set in train dev test; do
    times=(--segments "$here/an4-segments/$set-digits.segments")
    [[ -z $ctc ]] || times=(--model "$ctc")
    [[ -s $out/an4-cuts/$set/cuts.list ]] || "$here/cut_an4.sh" "${times[@]}" "$out/an4/$set-digits" "$out/an4-cuts/$set"
  done
  # Copies as symbolic links (a list may not name one file twice); augmentation makes each sound different.
  cp "$out/an4-cuts/train/cuts.list" "$work/an4-train.list"
  for ((r = 2; r <= AN4_REPEAT; r++)); do
    mkdir -p "$work/an4-copy$r"
    while read -r wav word; do
      ln -sf "$wav" "$work/an4-copy$r/$(basename "$wav")"
      echo "$work/an4-copy$r/$(basename "$wav") $word"
    done <"$out/an4-cuts/train/cuts.list" >>"$work/an4-train.list"
  done
  cat "$train_list" "$work/an4-train.list" >"$work/train+an4.list"
  train_list=$work/train+an4.list
  valid=(--valid "list:$out/an4-cuts/dev/cuts.list")
  echo "roles: train = $train_list; dev = $out/an4-cuts/dev/cuts.list (AN4 dev speakers);" \
    "tests = $work/test.list, $out/an4-cuts/test/cuts.list (AN4 test speakers)" >&2
fi
((lists_only)) && exit 0
members=${members:-$MEMBERS}
trap 'kill $(jobs -p) 2>/dev/null || true' EXIT   # no member left training after a failure or Ctrl-C
# Members with seeds seed, seed+1, ...: two at a time on one thread each
# (results do not depend on the thread count), then combined.
train_member() {  # index, threads
  "$auris" train --train "list:$train_list" --out "$work/member$1.safetensors" --seed $((seed + $1)) \
    --threads "$2" "${valid[@]}" "${FEATURE_OPTIONS[@]}" "${MODEL_OPTIONS[@]}" "${TRAIN_OPTIONS[@]}" "${AUGMENT_OPTIONS[@]}" \
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
  "$auris" ensemble --out "$work/ensemble.safetensors" "${member_files[@]}"
  pick=$work/ensemble.safetensors
  if ((use_an4)); then  # the ensemble, unless one member alone is better on dev
    dev_acc() { "$auris" eval --model "$1" --data "list:$out/an4-cuts/dev/cuts.list" --json | sed -n 's/.*"accuracy":\([0-9.e-]*\).*/\1/p'; }
    best=$(dev_acc "$pick")
    echo "dev (AN4 dev speakers): ensemble $best" >&2
    for m in "${member_files[@]}"; do
      a=$(dev_acc "$m")
      echo "dev (AN4 dev speakers): $(basename "$m" .safetensors) $a" >&2
      if awk -v a="$a" -v b="$best" 'BEGIN { exit !(a > b) }'; then best=$a; pick=$m; fi
    done
    echo "chosen on dev: $(basename "$pick" .safetensors)" >&2
  fi
  cp "$pick" "$work/digits.safetensors"
fi
echo "test: FSDD ${holdout:-takes 0-4 (seen speakers)}"
"$auris" eval --model "$work/digits.safetensors" --data "list:$work/test.list" --json-out "$work/eval.json" | sed -n 1p
if ((use_an4)); then
  echo "test: AN4 test speakers' digit cuts (never heard)"
  "$auris" eval --model "$work/digits.safetensors" --data "list:$out/an4-cuts/test/cuts.list" \
    --json-out "$work/eval-an4.json" | sed -n 1p
fi
if ((install)); then
  mkdir -p "$root/data/models"
  cp "$work/digits.safetensors" "$root/data/models/digits.safetensors"
  echo "installed $root/data/models/digits.safetensors"
fi
