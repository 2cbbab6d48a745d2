#!/usr/bin/env bash
# Trains the digit keyword spotter (labels zero..nine + _background_) on ~1 s
# clips for continuous audio and evaluates it on held-out clips (FSDD takes
# 0-4 in contexts of evaluation-only voices and texts).
#   recipes/kws-digits/run.sh [--fsdd DIR] [--an4 DIR | --no-an4] [--out DIR] [--install] [--seed S]
#                             [--epochs N] [--mine MODEL ...] [--members N]
#                             [--fsdd-extra N] [--hidden N] [--lists-only] [--ctc MODEL]
#                             [-- extra auris train options]
#   --install   copy the model to data/models/kws-digits.safetensors
#   --an4       AN4 (default ../shared/data/an4; issue 24): its training
#               speakers' digit words (cut_an4.sh at the fixed times of
#               recipes/fsdd-digits/an4-segments/, the classifier's cuts) are
#               keyword clips and their utterances without a digit word
#               (letters, numbers, commands) _background_ speech (AN4_TIMES,
#               AN4_BACKGROUND in options.sh); the dev speakers (every 10th
#               training speaker, recipes/an4/prepare.sh) are never trained
#               on: their stream (eval_stream.sh --an4 dev) chooses the
#               threshold stored in the model (auris attach-threshold); the
#               test speakers' stream is decoded once, for the model --install
#               ships, at that threshold (compare candidates on dev first).
#   --no-an4    FSDD and synthetic speech only (the model before issue 24)
#   --lists-only  prepare AN4 and write its training lists (cuts, speech), then stop
#   --ctc MODEL cut AN4's digit words by this CTC model's forced alignment
#               (cut_an4.sh --model) instead of the fixed segments
#   --mine      a round of hard-negative mining: MODEL's false alarms on
#               streams of training speech (mine_negatives.py, one per seed of
#               the round's MINE_ROUND_SEEDS entry) become extra _background_
#               clips. Repeat it for more rounds, each with the previous
#               round's model; round k trains on the clips of rounds 1..k and
#               writes kws-digits-r<k>.safetensors. The shipped model is round 2:
#                 run.sh                                     # round 0: kws-digits.safetensors
#                 run.sh --mine $o/kws-digits.safetensors    # round 1
#                 run.sh --mine $o/kws-digits.safetensors --mine $o/kws-digits-r1.safetensors \
#                        --fsdd-extra 8 --members 3 --install
#               with o=build/recipes/kws-digits
#   --members   also train N-1 more models on the same clips (seeds S+1...) and
#               combine the N into one (auris ensemble, the mean of their
#               outputs): <model>-x<N>.safetensors, evaluated and installed
#               instead. Mining uses single models.
#   --hidden    the LSTM width of this run's models (default HIDDEN in options.sh);
#               another width writes <model>-h<N>.safetensors
#   --fsdd-extra  N more placements of each FSDD training take in this run's
#               training list (make_clips.py, own seed): more weight on the
#               real speakers against the mined background clips.
# Data (built once, reused when present): FSDD lists, synthetic digits
# (fsdd-digits/synth.sh), non-keyword speech (make_speech.py), clips
# (make_clips.py). A model already trained on the same clips with the same
# options (<model>.made-by) is not trained again, so a run can be repeated
# with --install. The stream evaluation is eval_stream.sh.
# Uses $AURIS or build/release/apps/auris/auris (built if missing).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
fsdd=$root/../shared/data/fsdd/recordings
an4=$root/../shared/data/an4
use_an4=1
ctc=
lists_only=0
out=$root/build/recipes/kws-digits
install=0
seed=1
epochs=
mines=()
members=1
fsdd_extra=0
hidden=
extra=()
while (($#)); do
  case $1 in
    --fsdd) fsdd=$2; shift 2 ;;
    --an4) an4=$2; shift 2 ;;
    --no-an4) use_an4=0; shift ;;
    --lists-only) lists_only=1; shift ;;
    --ctc) ctc=$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    --install) install=1; shift ;;
    --seed) seed=$2; shift 2 ;;
    --epochs) epochs=$2; shift 2 ;;
    --mine) mines+=("$2"); shift 2 ;;
    --members) members=$2; shift 2 ;;
    --fsdd-extra) fsdd_extra=$2; shift 2 ;;
    --hidden) hidden=$2; shift 2 ;;
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
# shellcheck source=recipes/kws-digits/options.sh
source "$here/options.sh"
py=/usr/bin/python3

mkdir -p "$out"
if ((use_an4)); then
  # Roles by speaker (recipes/an4/prepare.sh): train-side lists only; dev and
  # test speakers reach nothing but their streams (make_an4_stream.sh).
  [[ -s $out/an4/train-digits/text ]] || "$root/recipes/an4/prepare.sh" --an4 "$an4" "$out/an4"
  # Fixed cut times, as the classifier's (fsdd-digits/README.md): a CTC model
  # stepping every 30 ms fires inside words, so aligning with whichever model
  # is shipped would change the training data. --ctc aligns again.
  times=(--segments "$root/recipes/fsdd-digits/an4-segments/train-digits.segments")
  [[ -z $ctc ]] || times=(--model "$ctc")
  [[ -s $out/an4-cuts/train/cuts.list ]] ||
    "$root/recipes/fsdd-digits/cut_an4.sh" "${times[@]}" "$out/an4/train-digits" "$out/an4-cuts/train"
  # Speech without any digit word: "oh" and "sixteen" alike would teach the
  # background class a digit's sound (digit words among letters are left out).
  awk 'NR == FNR { w[$1] = $2; next }
       { for (i = 2; i <= NF; i++) if ($i ~ /^(zero|oh|one|two|three|four|five|six|seven|eight|nine)$/) next
         print w[$1] }' "$out/an4/train/wav.scp" "$out/an4/train/text" >"$out/an4-speech-train.list"
  echo "AN4 training side: $(wc -l <"$out/an4-cuts/train/cuts.list") digit words," \
    "$(wc -l <"$out/an4-speech-train.list") utterances without digits" >&2
fi
((lists_only)) && exit 0
[[ -d $fsdd ]] || { echo "run.sh: FSDD not found at $fsdd (use --fsdd DIR)" >&2; exit 1; }
"$root/recipes/fsdd-digits/make_lists.sh" "$fsdd" "$out/fsdd"
[[ -s $out/synth-digits/synth.list ]] || "$root/recipes/fsdd-digits/synth.sh" "$out/synth-digits"
for set in train eval; do
  [[ -s $out/speech-$set/speech.list ]] || $py "$here/make_speech.py" --set $set --out "$out/speech-$set"
done
if [[ ! -s $out/train/clips.list ]]; then
  $py "$here/make_clips.py" --digits "$out/fsdd/train.list:$FSDD_TIMES" \
    --digits "$out/synth-digits/synth.list:$SYNTH_TIMES" --speech "$out/speech-train/speech.list" \
    --background "$TRAIN_BACKGROUND" --out "$out/train" --seed 1
fi
if [[ ! -s $out/test/clips.list ]]; then
  $py "$here/make_clips.py" --digits "$out/fsdd/test.list:$TEST_TIMES" --speech "$out/speech-eval/speech.list" \
    --background "$TEST_BACKGROUND" --out "$out/test" --seed 2
fi

model=$out/kws-digits.safetensors
eval_json=$out/eval.json
train_list=$out/train/clips.list
if ((${#mines[@]} || fsdd_extra > 0 || use_an4)); then  # the round's own list: clips.list + mined + extra + AN4
  train_list=$out/train-r${#mines[@]}.list
  cp "$out/train/clips.list" "$train_list"
fi
if ((${#mines[@]})); then
  ((${#mines[@]} <= ${#MINE_ROUND_SEEDS[@]})) ||
    { echo "run.sh: ${#mines[@]} mining rounds, options.sh has seeds for ${#MINE_ROUND_SEEDS[@]}" >&2; exit 2; }
  for ((k = 1; k <= ${#mines[@]}; ++k)); do
    mine=${mines[k - 1]}
    [[ -s $mine ]] || { echo "run.sh: --mine $mine: no such model" >&2; exit 1; }
    miner=$(sha256sum "$mine" | cut -c1-16)
    for s in ${MINE_ROUND_SEEDS[k - 1]}; do
      m=$out/mine$k-s$s
      [[ -s $m/stream.wav ]] || $py "$here/mine_negatives.py" stream --speech "$out/speech-train/speech.list" \
        --minutes "$MINE_MINUTES" --out "$m" --seed "$s"
      # The clips are the miner's false alarms: cut again when another model mines.
      if [[ ! -s $m/clips.list || $(cat "$m/miner" 2>/dev/null) != "$miner" ]]; then
        rm -rf "$m/wav" "$m/clips.list"
        "$auris" live --model "$mine" --input "$m/stream.wav" --fast --json --threshold "$MINE_THRESHOLD" \
          >"$m/events.jsonl"
        $py "$here/mine_negatives.py" cut --stream "$m" --events "$m/events.jsonl" --out "$m" \
          --times "$MINE_TIMES" --seed $((s + 1))
        echo "$miner" >"$m/miner"
      fi
      cat "$m/clips.list" >>"$train_list"
    done
  done
  model=$out/kws-digits-r${#mines[@]}.safetensors
  eval_json=$out/eval-r${#mines[@]}.json
fi
if ((fsdd_extra > 0)); then
  x=$out/train-fsdd-x$fsdd_extra
  [[ -s $x/clips.list ]] || $py "$here/make_clips.py" --digits "$out/fsdd/train.list:$fsdd_extra" \
    --speech "$out/speech-train/speech.list" --background 0 --out "$x" --seed 3
  cat "$x/clips.list" >>"$train_list"
fi
if ((use_an4)); then
  x=$out/train-an4
  [[ -s $x/clips.list ]] || $py "$here/make_clips.py" --digits "$out/an4-cuts/train/cuts.list:$AN4_TIMES" \
    --speech "$out/an4-speech-train.list" --background "$AN4_BACKGROUND" --out "$x" --seed 4
  cat "$x/clips.list" >>"$train_list"
fi
if [[ -n $hidden && $hidden != "$HIDDEN" ]]; then  # beside the default width's model, not over it
  model=${model%.safetensors}-h$hidden.safetensors
  eval_json=${eval_json%.json}-h$hidden.json
fi
train() {  # out seed; a model trained on the same clips with the same options is kept
  local args=(--train "list:$train_list" --out "$1" --seed "$2" --epochs "${epochs:-$EPOCHS}"
              "${FEATURE_OPTIONS[@]}" "${MODEL_OPTIONS[@]}" --hidden "${hidden:-$HIDDEN}" "${TRAIN_OPTIONS[@]}"
              "${AUGMENT_OPTIONS[@]}" "${extra[@]}")
  local made_by
  made_by=$( { printf '%s\n' "${args[@]}"; cat "$train_list"; } | sha256sum | cut -c1-16)
  if [[ -s $1 && $(cat "$1.made-by" 2>/dev/null) == "$made_by" ]]; then
    echo "$1: already trained on these clips with these options"
    return
  fi
  "$auris" train "${args[@]}"
  echo "$made_by" >"$1.made-by"
}
train "$model" "$seed"
if ((members > 1)); then
  parts=("$model")
  for ((i = 1; i < members; ++i)); do
    parts+=("${model%.safetensors}-seed$((seed + i)).safetensors")
    train "${parts[i]}" $((seed + i))
  done
  model=${model%.safetensors}-x$members.safetensors
  eval_json=${eval_json%.json}-x$members.json
  "$auris" ensemble --out "$model" "${parts[@]}"
fi
summary=$("$auris" eval --model "$model" --data "list:$out/test/clips.list" --json-out "$eval_json" -q | sed -n 1p)
echo "held-out clips: $summary"
if ((use_an4)); then
  # The threshold: the lowest FRR within DEV_MAX_FA_PER_HOUR on the dev
  # speakers' stream (score_stream.py's choice), stored in the model; where no
  # threshold gets that few false alarms (one is 9.6 FA/h on this 6-min
  # stream), the lowest FRR among the thresholds with the fewest.
  dev=$out/an4-dev-eval/$(basename "${model%.safetensors}")
  "$here/eval_stream.sh" --model "$model" --an4 dev --an4-dir "$an4" --work "$out" --out "$out/an4-dev-stream" \
    --thresholds "$DEV_THRESHOLDS" >/dev/null
  mkdir -p "$dev"
  cp "$out/an4-dev-stream/score.json" "$dev/score.json"
  threshold=$($py -c 'import json, sys; j = json.load(open(sys.argv[1])); b = j["best_at_fa_budget"][sys.argv[2]]
if not b:
    fewest = min(r["false_alarms"] for r in j["runs"])
    b = min((r for r in j["runs"] if r["false_alarms"] == fewest), key=lambda r: (r["frr"], r["threshold"]))
print(b["threshold"])' "$dev/score.json" "$DEV_MAX_FA_PER_HOUR")
  "$auris" attach-threshold --model "$model" --threshold "$threshold" --out "$model"
  $py -c 'import json, sys; r = [r for r in json.load(open(sys.argv[1]))["runs"] if r["threshold"] == float(sys.argv[2])][0]
print("dev stream (AN4 dev speakers): threshold %g: FRR %.2f%%, %d false alarms (%.2f/h)"
      % (r["threshold"], 100 * r["frr"], r["false_alarms"], r["fa_per_hour"]))' "$dev/score.json" "$threshold"
fi
if ((use_an4 && install)); then
  # AN4's test speakers: decoded once, for the shipped model, at its stored threshold.
  "$here/eval_stream.sh" --model "$model" --an4 test --an4-dir "$an4" --work "$out" --out "$out/an4-test-stream" \
    --thresholds "$threshold" | sed -n '/^  /p' | sed -n 1p | sed 's/^/test stream (AN4 test speakers): /'
fi
if ((install)); then
  mkdir -p "$root/data/models"
  cp "$model" "$root/data/models/kws-digits.safetensors"
  echo "installed $root/data/models/kws-digits.safetensors ($(stat -c %s "$model") bytes)"
fi
