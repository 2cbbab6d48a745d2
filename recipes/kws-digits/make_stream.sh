#!/usr/bin/env bash
# Builds the continuous keyword-spotting test stream (issue 6): FSDD test takes
# (0-4, never trained on) as targets at known times among synthesised
# non-digit sentences (evaluation-only voices and texts), noise and pauses.
#   recipes/kws-digits/make_stream.sh OUT_DIR [--minutes M] [--seed S] [--fsdd DIR] [--work DIR]
#   --minutes   stream length (default 120: one false alarm = 0.5 FA/h)
#   --work      where the evaluation speech is made / reused (default build/recipes/kws-digits)
# Writes OUT_DIR/stream.wav (8 kHz) and OUT_DIR/truth.txt. Deterministic.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
out=${1:?output directory (see --help)}
[[ $out == -h || $out == --help ]] && { sed -n '2,/^[^#]/{/^#/p}' "$0"; exit 0; }
shift
fsdd=$root/../shared/data/fsdd/recordings
work=$root/build/recipes/kws-digits
minutes=120
seed=7
while (($#)); do
  case $1 in
    --minutes) minutes=$2; shift 2 ;;
    --seed) seed=$2; shift 2 ;;
    --fsdd) fsdd=$2; shift 2 ;;
    --work) work=$2; shift 2 ;;
    *) echo "make_stream.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done
[[ -d $fsdd ]] || { echo "make_stream.sh: FSDD not found at $fsdd (use --fsdd DIR)" >&2; exit 1; }
mkdir -p "$work" "$out"
"$root/recipes/fsdd-digits/make_lists.sh" "$fsdd" "$out/fsdd"
[[ -s $work/speech-eval/speech.list ]] || /usr/bin/python3 "$here/make_speech.py" --set eval --out "$work/speech-eval"
/usr/bin/python3 "$here/make_stream.py" --targets "$out/fsdd/test.list" --speech "$work/speech-eval/speech.list" \
  --out "$out" --minutes "$minutes" --seed "$seed"
