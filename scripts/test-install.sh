#!/usr/bin/env bash
# The installed library works for a consumer: installs a built tree into a
# temporary prefix, builds examples/cpp against it with find_package(auris)
# and checks its transcript of data/samples/digit_string.wav against what the
# installed `auris transcribe` prints; then builds the same program with
# pkg-config alone. Then the Python package, offline: pip install from the
# clone into a venv that sees Debian's numpy, and a wheel installed into
# another venv; each imports auris outside the clone and must give the
# installed `auris features`' numbers (tests/python/installed_check.py).
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

# The package reuses this tree's libraries and extension (AURIS_BUILD_DIR).
python=${AURIS_PYTHON:-/usr/bin/python3}
grep -q '^AURIS_PYTHON_MODULE:BOOL=ON' "$build/CMakeCache.txt" ||
  { echo "test-install: $build has no Python extension (pybind11-dev missing?)" >&2; exit 1; }
export AURIS_BUILD_DIR
AURIS_BUILD_DIR=$(cd "$build" && pwd)
run_logged() {  # run_logged <command>...: quiet unless it fails
  "$@" >"$work/log" 2>&1 || { cat "$work/log" >&2; return 1; }
}
run_logged "$work/prefix/bin/auris" features -q --type fbank "$wav" "npy:$work/npy"
py_check() {  # py_check <how> <venv>
  if (cd "$work" && "$2/bin/python" "$OLDPWD/tests/python/installed_check.py" npy "$OLDPWD/$wav") >"$work/log" 2>&1; then
    echo "test-install: $1: ok ($(tail -1 "$work/log"))"
  else
    echo "test-install: $1: failed:" >&2
    cat "$work/log" >&2
    fail=1
  fi
}

echo "== test-install: pip install --no-build-isolation --no-index . into a venv"
"$python" -m venv --system-site-packages "$work/venv"
run_logged "$work/venv/bin/python" -m pip install --no-build-isolation --no-index .
py_check "pip install" "$work/venv"

echo "== test-install: python3 -m build --no-isolation --wheel, installed into another venv"
run_logged "$python" -m build --no-isolation --wheel --outdir "$work/dist" .
"$python" -m venv --system-site-packages "$work/venv2"
run_logged "$work/venv2/bin/python" -m pip install --no-index "$work"/dist/auris-*.whl
py_check "wheel $(basename "$work"/dist/auris-*.whl)" "$work/venv2"
exit $fail
