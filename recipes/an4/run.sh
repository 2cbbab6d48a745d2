#!/usr/bin/env bash
# Trains the AN4 recogniser (streaming character CTC) and, with --install,
# evaluates it once on AN4's test set. Roles (prepare.sh): train = 67 training speakers; dev =
# 7 other training speakers, where every choice is made; test = AN4's 10
# test speakers, decoded once at the end.
# The word LM (auris lm) is trained on the training text; its fusion weights
# are the best of a grid on dev (options.sh) and are stored in the model.
#   recipes/an4/run.sh [--an4 DIR] [--out DIR] [--install] [--seed S] [--epochs N]
#                      [--threads N] [--trained MODEL] [-- extra auris train options]
#   --install   decode the test set (once, for the model shipped) and copy the
#               model (with its LM) to data/models/an4.safetensors; without it
#               the run stops after the dev choices
#   --trained   skip training: use MODEL, trained with options.sh before (e.g.
#               one of several runs compared on dev)
#   --full-context  the bidirectional variant (full-context.json: 3 x 160 LSTM
#               each way, attention over past and future), to show what
#               streaming costs: it cannot stream, so it is never installed;
#               its fusion weights are chosen on dev the same way and its test
#               set decoded once at the end
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
trained=
full_context=0
extra=()
while (($#)); do
  case $1 in
    --an4) an4=$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    --install) install=1; shift ;;
    --seed) seed=$2; shift 2 ;;
    --epochs) epochs=$2; shift 2 ;;
    --threads) threads=$2; shift 2 ;;
    --trained) trained=$2; shift 2 ;;
    --full-context) full_context=1; shift ;;
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
if ((full_context)); then
  ((install)) && { echo "run.sh: --full-context cannot be installed (it does not stream)" >&2; exit 2; }
  MODEL_OPTIONS=(--arch "$here/full-context.json" --units chars)
fi

data=$out/data
"$here/prepare.sh" --an4 "$an4" "$data"
model=$out/an4.safetensors
if [[ -n $trained ]]; then
  mkdir -p "$out"
  [[ $trained -ef $model ]] || cp "$trained" "$model"
else
  "$auris" train --task ctc --train "kaldi:$data/train" --valid "kaldi:$data/dev" --out "$model" \
    --seed "$seed" --epochs "${epochs:-$EPOCHS}" --num-threads "$threads" "${FEATURE_OPTIONS[@]}" "${MODEL_OPTIONS[@]}" \
    "${TRAIN_OPTIONS[@]}" "${AUGMENT_OPTIONS[@]}" "${extra[@]}"
fi
# The LM and its fusion weights: trained on the training text, chosen on dev.
"$auris" lm --text "$data/train/text" --kaldi-text --order "$LM_ORDER" --out "$out/lm.arpa"
for w in "${LM_WEIGHTS[@]}"; do
  for b in "${WORD_BONUSES[@]}"; do
    wer=$("$auris" eval -q --json --model "$model" --data "kaldi:$data/dev" --beam "$BEAM" --lm "$out/lm.arpa" \
      --lm-weight "$w" --word-bonus "$b" | python3 -c 'import json, sys; print(json.load(sys.stdin)["wer"])')
    echo "dev: lm-weight $w word-bonus $b WER $wer"
  done
done | tee "$out/dev-grid.txt"
# The lowest dev WER; on a tie the first in grid order.
read -r wer w b < <(awk 'NR == 1 || $7 < m { m = $7; w = $3; b = $5 } END { print m, w, b }' "$out/dev-grid.txt")
echo "chosen on dev: lm-weight $w word-bonus $b (dev WER $wer)"
"$auris" attach-lm --model "$model" --lm "$out/lm.arpa" --lm-weight "$w" --word-bonus "$b" --beam "$BEAM" \
  --out "$out/an4-lm.safetensors"
model=$out/an4-lm.safetensors
if ((full_context)); then
  echo "test, full-context variant (decoded once, after every choice):"
  "$auris" eval --model "$model" --data "kaldi:$data/test" --json-out "$out/test.json" | sed -n 1,2p
  "$auris" eval --model "$model" --no-lm --data "kaldi:$data/test" --json-out "$out/test-no-lm.json" | sed -n 1,2p
  exit 0
fi
if ((!install)); then
  # A candidate is compared on dev only; the test set is decoded once, for the model shipped.
  echo "test set not decoded: compare candidates on dev, then ship one with --install --trained MODEL"
  exit 0
fi
echo "test (10 speakers never heard; decoded once, after every choice):"
"$auris" eval --model "$model" --data "kaldi:$data/test" --json-out "$out/test.json" | sed -n 1,2p
"$auris" eval --model "$model" --no-lm --data "kaldi:$data/test" --json-out "$out/test-no-lm.json" | sed -n 1,2p
if ((install)); then
  mkdir -p "$root/data/models"
  cp "$model" "$root/data/models/an4.safetensors"
  echo "installed $root/data/models/an4.safetensors"
fi
