#!/usr/bin/env bash
# Peer comparison (issues 5, 25): an auris CTC recogniser vs CMU pocketsphinx
# (Debian's pocketsphinx + pocketsphinx-en-us, 16 kHz en-us acoustic model)
# on the same Kaldi test set, in the same run. By default pocketsphinx
# decodes digit strings with cmudict and a JSGF digit loop (one or more of
# zero..nine); --an4 gives it AN4's own dictionary and unigram LM instead
# (CMU's etc/an4.dic, etc/an4.lm), the setup of the AN4 benchmark, on the
# audio resampled to 16 kHz with sox; its hypotheses are
# scored by bench/pocketsphinx_wer.py (word Levenshtein, independent of auris).
# auris is scored by `auris eval --model M --data kaldi:DIR --json`.
#
# Usage: bench/run_pocketsphinx_bench.sh [options]
#   --data DIR        Kaldi data dir: wav.scp, text (default build/recipes/fsdd-ctc/official/test)
#   --model M         auris CTC model (default data/models/digits-ctc.safetensors)
#   --an4 [DIR]       the AN4 test set: --data build/recipes/an4/data/test (recipes/an4/prepare.sh),
#                     --model data/models/an4.safetensors, pocketsphinx with DIR/etc/an4.dic and
#                     an4.lm (DIR default ../shared/data/an4); --data/--model after it override
#   --limit N         only the first N utterances of wav.scp (default: all)
#   --threads N       auris eval --num-threads (default 1; pocketsphinx is single-threaded)
#   --out FILE        JSON results (default build/bench/pocketsphinx.json)
#   --show N          print N utterances pocketsphinx got wrong (default 0)
#   --pocketsphinx-only  skip auris (baseline only; no ratio)
#   -h, --help
# Environment: AURIS = auris binary (default build/release/apps/auris/auris).
# Needs: scripts/install-deps.sh --dev (pocketsphinx, pocketsphinx-en-us, sox, python3).
set -euo pipefail
cd "$(dirname "$0")/.."

die() { echo "run_pocketsphinx_bench.sh: $*" >&2; exit 1; }

data=build/recipes/fsdd-ctc/official/test
model=data/models/digits-ctc.safetensors
limit=0
threads=1
out=build/bench/pocketsphinx.json
show=0
with_auris=1
an4=
while [ $# -gt 0 ]; do
  case "$1" in
    --an4)
      data=build/recipes/an4/data/test model=data/models/an4.safetensors an4=../shared/data/an4
      if [ $# -ge 2 ] && [[ $2 != --* ]]; then an4=$2; shift; fi
      shift ;;
    --data|--model|--limit|--threads|--out|--show)
      [ $# -ge 2 ] || die "$1 needs a value"
      case "$1" in
        --data) data=$2 ;; --model) model=$2 ;; --limit) limit=$2 ;;
        --threads) threads=$2 ;; --out) out=$2 ;; --show) show=$2 ;;
      esac
      shift 2 ;;
    --pocketsphinx-only) with_auris=0; shift ;;
    -h|--help) sed -n '2,20p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown argument '$1' (see --help)" ;;
  esac
done
[[ $limit =~ ^[0-9]+$ ]] || die "--limit must be a non-negative integer, got '$limit'"
[[ $threads =~ ^[0-9]+$ ]] || die "--threads must be a non-negative integer, got '$threads'"
[[ $show =~ ^[0-9]+$ ]] || die "--show must be a non-negative integer, got '$show'"

# --- prerequisites: fail before any work is done -----------------------------
psmodel=/usr/share/pocketsphinx/model/en-us
psdict=$psmodel/cmudict-en-us.dict
if [ -n "$an4" ]; then
  psdict=$an4/etc/an4.dic
  [ -f "$psdict" ] && [ -f "$an4/etc/an4.lm" ] || die "AN4's etc/an4.dic and etc/an4.lm not found under '$an4'"
fi
command -v pocketsphinx_batch >/dev/null ||
  die "pocketsphinx_batch not found: run scripts/install-deps.sh --dev (Debian package pocketsphinx)"
[ -f "$psmodel/en-us/mdef" ] && [ -f "$psdict" ] ||
  die "pocketsphinx en-us model missing under $psmodel: run scripts/install-deps.sh --dev (pocketsphinx-en-us)"
command -v sox >/dev/null && command -v soxi >/dev/null || die "sox not found: run scripts/install-deps.sh --dev"
[ -x /usr/bin/python3 ] || die "/usr/bin/python3 not found: run scripts/install-deps.sh --dev"
digits=(zero one two three four five six seven eight nine)
if [ -z "$an4" ]; then
  for w in "${digits[@]}"; do
    grep -q "^$w " "$psdict" || die "$psdict has no pronunciation for '$w'"
  done
fi
[ -d "$data" ] || die "data dir '$data' not found (make it with auris make-digits)"
[ -s "$data/wav.scp" ] && [ -s "$data/text" ] || die "data dir '$data' needs non-empty wav.scp and text"
if [ "$with_auris" = 1 ]; then
  auris=${AURIS:-build/release/apps/auris/auris}
  [ -x "$auris" ] || die "auris binary '$auris' not found or not executable (build it, or set AURIS)"
  [ -f "$model" ] || die "auris model '$model' not found (--model)"
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/raw" "$(dirname "$out")"

# --- the utterance set, shared by both systems ---------------------------------
awk -v n="$limit" 'NF && (n == 0 || ++k <= n)' "$data/wav.scp" > "$work/wav.scp"
: > "$work/utts"
: > "$work/wav.abs.scp"
while read -r utt path rest; do
  [ -z "$rest" ] && [ -n "$path" ] || die "$data/wav.scp: '$utt': only '<utt> <file>' entries are supported (no pipes)"
  [[ $utt != */* ]] || die "$data/wav.scp: utterance id '$utt' contains '/'"
  [ -f "$path" ] || die "$data/wav.scp: '$utt': file '$path' not found"
  echo "$utt" >> "$work/utts"
  echo "$utt $(realpath "$path")" >> "$work/wav.abs.scp"
done < "$work/wav.scp"
n=$(wc -l < "$work/utts")
audio_s=$(cut -d' ' -f2 "$work/wav.abs.scp" | xargs soxi -D | awk '{ s += $1 } END { printf "%.3f", s }')

# auris reads the whole dir, or a subset dir holding only the chosen utterances.
if [ "$limit" -gt 0 ]; then
  sub=$work/subset
  mkdir -p "$sub"
  cp "$work/wav.abs.scp" "$sub/wav.scp"
  for f in text utt2spk words.ctm; do
    if [ -f "$data/$f" ]; then
      awk 'NR == FNR { keep[$1]; next } $1 in keep' "$work/utts" "$data/$f" > "$sub/$f"
    fi
  done
  if [ -f "$sub/utt2spk" ]; then
    awk '{ u[$2] = u[$2] " " $1 } END { for (s in u) print s u[s] }' "$sub/utt2spk" | sort > "$sub/spk2utt"
  fi
  auris_data=$sub
else
  auris_data=$data
fi

elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", b - a }'; }

# --- auris ------------------------------------------------------------------------
auris_args=()
if [ "$with_auris" = 1 ]; then
  echo "auris eval on $n utterances ..." >&2
  t0=$EPOCHREALTIME
  if ! "$auris" eval -q --model "$model" --data "kaldi:$auris_data" --json --num-threads "$threads" \
       > "$work/auris.json" 2> "$work/auris.log"; then
    tail -n 5 "$work/auris.log" >&2
    die "auris eval failed (command: $auris eval -q --model $model --data kaldi:$auris_data --json" \
        "--num-threads $threads)"
  fi
  auris_wall=$(elapsed "$t0" "$EPOCHREALTIME")
  auris_args=(--auris-json "$work/auris.json" --auris-wall-s "$auris_wall" --auris-model "$model")
fi

# --- pocketsphinx -------------------------------------------------------------------
{
  echo "#JSGF V1.0;"
  echo "grammar digits;"
  echo "public <digits> = <digit>+;"
  echo "<digit> = $(IFS='|'; echo "${digits[*]}" | sed 's/|/ | /g');"
} > "$work/digits.gram"

echo "pocketsphinx: upsampling $n files to 16 kHz ..." >&2
t0=$EPOCHREALTIME
# Headerless 16-bit little-endian PCM, so pocketsphinx needs no header guess.
# -D: no dither. sox would otherwise add random LSB noise (different every run)
# that fills the strings' digitally silent gaps and the empty 4-8 kHz band;
# with it pocketsphinx inserts far more words (WER 42% vs 28% on 40 strings).
while read -r utt path; do
  sox -D "$path" -r 16000 -c 1 -b 16 -e signed-integer -L -t raw "$work/raw/$utt.raw" ||
    die "sox failed on '$path'"
done < "$work/wav.abs.scp"
ps_upsample=$(elapsed "$t0" "$EPOCHREALTIME")

echo "pocketsphinx: decoding ..." >&2
t0=$EPOCHREALTIME
if [ -n "$an4" ]; then language=(-lm "$an4/etc/an4.lm"); else language=(-jsgf "$work/digits.gram"); fi
if ! pocketsphinx_batch -hmm "$psmodel/en-us" -dict "$psdict" "${language[@]}" \
     -samprate 16000 -adcin yes -adchdr 0 -input_endian little \
     -cepdir "$work/raw" -cepext .raw -ctl "$work/utts" -hyp "$work/hyp" \
     > "$work/ps.log" 2>&1; then
  grep -E 'ERROR|FATAL' "$work/ps.log" | tail -n 5 >&2
  die "pocketsphinx_batch failed"
fi
ps_decode=$(elapsed "$t0" "$EPOCHREALTIME")

# Issue 5's target for digit strings; AN4 has none against pocketsphinx.
if [ -z "$an4" ] && [ "$with_auris" = 1 ]; then target=(--target 0.25); else target=(); fi
/usr/bin/python3 bench/pocketsphinx_wer.py --text "$data/text" --utts "$work/utts" --hyp "$work/hyp" \
  --ps-decode-s "$ps_decode" --ps-upsample-s "$ps_upsample" --audio-s "$audio_s" \
  --data "$data" --show "$show" --out "$out" "${auris_args[@]}" "${target[@]}"
echo "results: $out" >&2
