#!/usr/bin/env bash
# Builds a keyword-spotting stream of real AN4 speech by speakers the spotter
# never trained on (issue 24): every utterance of the set, digits as targets,
# letters / numbers / commands as non-target speech (an4_stream.py).
#   recipes/kws-digits/make_an4_stream.sh OUT_DIR --set dev|test [--passes N] [--seed S]
#                                          [--an4 DIR] [--work DIR] [--align-model M] [--rate R]
#   --set dev   AN4 training speakers held out of training (every 10th,
#               recipes/an4/prepare.sh): where the threshold is chosen
#   --set test  AN4's 10 test speakers: decoded once per shipped model
#   --passes    times the set is played (default 1; more: other orders and levels of the same speech)
#   --rate      the stream's sample rate (default 8000, the classifier spotter's;
#               16000 for the AN4 recogniser: same utterances, other gaps and levels)
#   --work      where AN4's Kaldi dirs are made / reused (default build/recipes/kws-digits)
#   --align-model  place the reference words by a CTC forced alignment with
#               this model (characters, so every AN4 word: data/models/an4.safetensors)
#               instead of the fixed times in an4-times/<set>.ctm
# Word times are fixed by default: an4-times/{dev,test}.ctm hold the forced
# alignment (`auris transcribe --align --word-times labels`) made once with the
# an4.safetensors of commit 58b88d8 (10-ms steps). The model shipped since
# (30-ms steps) places the digit targets' ends a median 0.1 s (up to 0.24 s)
# later; fixed times keep the streams' truth, and so the spotter's figures,
# independent of which recogniser is shipped (README).
# Writes OUT_DIR/stream.wav (--rate), truth.txt, segments.txt, words.ctm. Deterministic.
# Uses sox, and with --align-model $AURIS or build/release/apps/auris/auris.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
out=${1:?output directory (see --help)}
[[ $out == -h || $out == --help ]] && { sed -n '2,/^[^#]/{/^#/p}' "$0"; exit 0; }
shift
an4=$root/../shared/data/an4
work=$root/build/recipes/kws-digits
align_model=
set=
passes=1
seed=7
rate=8000
while (($#)); do
  case $1 in
    --set) set=$2; shift 2 ;;
    --passes) passes=$2; shift 2 ;;
    --seed) seed=$2; shift 2 ;;
    --an4) an4=$2; shift 2 ;;
    --work) work=$2; shift 2 ;;
    --align-model) align_model=$2; shift 2 ;;
    --rate) rate=$2; shift 2 ;;
    *) echo "make_an4_stream.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done
[[ $set == dev || $set == test ]] || { echo "make_an4_stream.sh: --set dev or --set test is required" >&2; exit 2; }
[[ -s $work/an4/$set/text ]] || "$root/recipes/an4/prepare.sh" --an4 "$an4" "$work/an4"
mkdir -p "$out"
if [[ -n $align_model ]]; then
  auris=${AURIS:-$root/build/release/apps/auris/auris}
  [[ -x $auris ]] || { echo "make_an4_stream.sh: $auris not built (or set AURIS)" >&2; exit 1; }
  "$auris" transcribe --model "$align_model" --align "$work/an4/$set/text" --word-times labels --timestamps \
    --num-threads 1 "scp:$work/an4/$set/wav.scp" >"$out/words.ctm.tmp"
  mv "$out/words.ctm.tmp" "$out/words.ctm"
else
  # an4_stream.py checks that it holds exactly the words of every utterance.
  cp "$here/an4-times/$set.ctm" "$out/words.ctm"
fi
/usr/bin/python3 "$here/an4_stream.py" --data "$work/an4/$set" --ctm "$out/words.ctm" --out "$out" \
  --passes "$passes" --seed "$seed" --rate "$rate"
