#!/usr/bin/env bash
# The installed library works for a consumer: installs a built tree into a
# temporary prefix, builds examples/cpp against it with find_package(auris)
# and checks its transcript of data/samples/digit_string.wav against what the
# installed `auris transcribe` prints; then builds the same program with
# pkg-config alone.
#   scripts/test-install.sh [BUILD_DIR]   (default build/release, already built)
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build/release}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

cmake --install "$build" --prefix "$work/prefix" >/dev/null
model=data/models/digits-ctc.safetensors
wav=data/samples/digit_string.wav
want=$("$work/prefix/bin/auris" transcribe --model "$model" "$wav")
[[ -n $want ]] || { echo "test-install: auris transcribe printed nothing" >&2; exit 1; }

fail=0
check() {  # check <how> <binary>
  local got
  got=$("$2" "$model" "$wav")
  if [[ $got == "$want" ]]; then
    echo "test-install: $1: ok ($got)"
  else
    echo "test-install: $1: got '$got', auris transcribe printed '$want'" >&2
    fail=1
  fi
}

echo "== test-install: find_package(auris) from $work/prefix"
cmake -S examples/cpp -B "$work/example" -G Ninja -DCMAKE_BUILD_TYPE=Release \
      -DCMAKE_PREFIX_PATH="$work/prefix" >/dev/null
cmake --build "$work/example" >/dev/null
check "find_package(auris)" "$work/example/transcribe_wav"

echo "== test-install: pkg-config auris"
pc=$(find "$work/prefix" -name auris.pc)
export PKG_CONFIG_PATH="$(dirname "$pc")${PKG_CONFIG_PATH:+:$PKG_CONFIG_PATH}"
# shellcheck disable=SC2046  # pkg-config prints several words on purpose
${CXX:-c++} -O2 examples/cpp/transcribe_wav.cc -o "$work/transcribe_wav_pc" $(pkg-config --cflags --libs auris)
check "pkg-config auris" "$work/transcribe_wav_pc"
exit $fail
