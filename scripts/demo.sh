#!/usr/bin/env bash
# Fresh machine → the main job on the bundled example: installs what is
# missing, builds Release, classifies the bundled spoken-digit samples
# (data/samples/) with the shipped model (data/models/digits.safetensors)
# and prints the results, transcribes the bundled digit string with the
# shipped CTC model (data/models/digits-ctc.safetensors) with word times,
# then shows the Kaldi features of one sample; installs the Python package
# auris for the user (pip, offline, from this tree's build) and transcribes
# the digit string again from Python.
# With AURIS=path/to/auris it only runs that binary (no install, no build),
# as tests/cli/closed_pipe_cli_test.cc does.
set -euo pipefail
cd "$(dirname "$0")/.."
if [[ -z ${AURIS:-} ]]; then
  scripts/install-deps.sh
  cmake -S . -B build/release -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
  cmake --build build/release -j"$(nproc)" --target auris _auris
  # The Python package for this user, offline (README: Python). Debian's
  # Python refuses pip outside a venv without the flag; --user keeps auris
  # out of the system's directories.
  AURIS_BUILD_DIR=build/release /usr/bin/python3 -m pip install -q --user --break-system-packages \
    --no-build-isolation --no-index .
fi
auris=${AURIS:-build/release/apps/auris/auris}

mapfile -t samples < <(awk '{print "data/samples/" $1}' data/samples/digits.list)
echo "== auris classify --model data/models/digits.safetensors --top-k 3 (expected: data/samples/digits.list)"
"$auris" classify --model data/models/digits.safetensors --top-k 3 "${samples[@]}"
echo "== auris transcribe --model data/models/digits-ctc.safetensors --timestamps data/samples/digit_string.wav"
echo "   (CTM: file channel start duration word confidence; true times: data/samples/digit_string.ctm)"
"$auris" transcribe --model data/models/digits-ctc.safetensors --timestamps data/samples/digit_string.wav
echo "== auris features --type fbank --num-mel-bins 23 ${samples[0]} ark,t:- (first 3 frames)"
# sed reads to the end: head would close the pipe early, and auris, killed
# by SIGPIPE as any writer to a closed pipe is, would fail under pipefail.
"$auris" features --type fbank --num-mel-bins 23 "${samples[0]}" ark,t:- 2>/dev/null | sed -n 1,4p
if [[ -z ${AURIS:-} ]]; then
  echo "== python3: auris.Recognizer(\"data/models/digits-ctc.safetensors\").transcribe(*auris.read_audio(\"data/samples/digit_string.wav\"))"
  /usr/bin/python3 -c 'import auris; print(auris.__version__, auris.Recognizer("data/models/digits-ctc.safetensors").transcribe(*auris.read_audio("data/samples/digit_string.wav")).text)'
fi
