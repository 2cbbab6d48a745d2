#!/usr/bin/env bash
# Kaldi data dirs (wav.scp, text, utt2spk, spk2utt) of CMU AN4, with the
# roles of the evaluation protocol kept apart by speaker:
#   train        training speakers minus the dev speakers
#   dev          every 10th training speaker (sorted, from the 5th): all
#                choices (epochs, LM weight, beam) are made here
#   test         AN4's 130 test utterances, 10 speakers never in train or dev;
#                decoded once per shipped model
#   test-digits  the test utterances made only of digit words (zero..nine, oh)
#   dev-digits, train-digits   the same selection of dev and train
# Words are lower-case; <s> and </s> are stripped. Utterance ids are
# "<speaker>-<AN4 id>", so Kaldi's sort order groups speakers.
#   recipes/an4/prepare.sh [--an4 DIR] OUT_DIR
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
an4=$here/../../../shared/data/an4
while (($#)); do
  case $1 in
    --an4) an4=$2; shift 2 ;;
    -h|--help) sed -n '2,/^[^#]/{/^#/p}' "$0"; exit 0 ;;
    -*) echo "prepare.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
    *) break ;;
  esac
done
out=${1:?usage: prepare.sh [--an4 DIR] OUT_DIR}
for f in etc/an4_train.transcription etc/an4_test.transcription wav/an4_clstk wav/an4test_clstk; do
  [[ -e $an4/$f ]] || { echo "prepare.sh: $an4/$f: not found (use --an4 DIR)" >&2; exit 1; }
done
an4=$(cd "$an4" && pwd)

# lines <transcription> <wav subdir>: "uttid path speaker words..." per
# utterance; the speaker is the AN4 id's middle field ("an251-fash-b"), and
# its wav must exist under <wav subdir>/<speaker>/.
lines() {
  awk -v root="$an4/wav/$2" '
    {
      id = $NF
      if (id !~ /^\(.*\)$/) { print FILENAME ":" FNR ": no (utterance-id) at the end" > "/dev/stderr"; exit 1 }
      id = substr(id, 2, length(id) - 2)
      n = split(id, part, "-")
      if (n != 3) { print FILENAME ":" FNR ": utterance id " id " is not <x>-<speaker>-<y>" > "/dev/stderr"; exit 1 }
      words = ""
      for (i = 1; i < NF; i++)
        if ($i != "<s>" && $i != "</s>") words = words " " tolower($i)
      if (words == "") { print FILENAME ":" FNR ": no words" > "/dev/stderr"; exit 1 }
      printf "%s-%s %s/%s/%s.wav %s%s\n", part[2], id, root, part[2], id, part[2], words
    }' "$1"
}
tmp=$out/.lines
mkdir -p "$tmp"
lines "$an4/etc/an4_train.transcription" an4_clstk >"$tmp/train-all"
lines "$an4/etc/an4_test.transcription" an4test_clstk >"$tmp/test"
while read -r _ path _; do
  [[ -s $path ]] || { echo "prepare.sh: $path: missing or empty" >&2; exit 1; }
done <"$tmp/train-all"

dev_speakers=$(cut -d' ' -f3 "$tmp/train-all" | LC_ALL=C sort -u | awk 'NR % 10 == 5' | tr '\n' ' ')
# by_speaker in|out: the lines of train-all whose speaker is (not) a dev speaker.
by_speaker() {
  awk -v dev="$dev_speakers" -v want="$1" 'BEGIN { n = split(dev, s, " "); for (i = 1; i <= n; i++) d[s[i]] = 1 }
    (($3 in d) == (want == "in"))' "$tmp/train-all"
}
by_speaker in >"$tmp/dev"
by_speaker out >"$tmp/train"
digits_only() {
  awk '{ for (i = 4; i <= NF; i++) if ($i !~ /^(zero|oh|one|two|three|four|five|six|seven|eight|nine)$/) next; print }' "$1"
}
digits_only "$tmp/test" >"$tmp/test-digits"
digits_only "$tmp/dev" >"$tmp/dev-digits"
digits_only "$tmp/train" >"$tmp/train-digits"

for set in train dev test test-digits dev-digits train-digits; do
  d=$out/$set
  mkdir -p "$d"
  LC_ALL=C sort -k1,1 "$tmp/$set" >"$tmp/$set.sorted"
  awk '{ print $1, $2 }' "$tmp/$set.sorted" >"$d/wav.scp"
  awk '{ printf "%s", $1; for (i = 4; i <= NF; i++) printf " %s", $i; print "" }' "$tmp/$set.sorted" >"$d/text"
  awk '{ print $1, $3 }' "$tmp/$set.sorted" >"$d/utt2spk"
  awk '{ a[$2] = a[$2] " " $1 } END { for (s in a) print s a[s] }' "$d/utt2spk" | LC_ALL=C sort >"$d/spk2utt"
  printf '%-12s %4d utterances %5d words %3d speakers\n' "$set" "$(wc -l <"$d/text")" \
    "$(awk '{ n += NF - 1 } END { print n + 0 }' "$d/text")" "$(wc -l <"$d/spk2utt")" >&2
done
rm -rf "$tmp"
