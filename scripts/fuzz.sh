#!/usr/bin/env bash
# Fuzzes the safetensors parser with libFuzzer for N seconds (default 30).
#   scripts/fuzz.sh [seconds]
# Builds fuzz/safetensors_fuzz with clang (-fsanitize=fuzzer,address,undefined)
# in its own build directory ($AURIS_FUZZ_BUILD, default build/fuzz), seeds a
# corpus with valid and invalid files, and exits non-zero on any crash, leak,
# sanitizer report or timeout (the reproducer is left in the build directory).
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-30}
build=${AURIS_FUZZ_BUILD:-build/fuzz}

CC=clang CXX=clang++ cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DAURIS_FUZZ=ON -DAURIS_BUILD_TESTS=OFF -DAURIS_BUILD_BENCH=OFF >/dev/null
cmake --build "$build" -j"$(nproc)" --target safetensors_fuzz

# seed <file> <header json> <data bytes as printf escapes>: a file with the
# given header, its length written as a little-endian u64.
seed() {
  local n=${#2} len=""
  for _ in 1 2 3 4 5 6 7 8; do
    len+=$(printf '\\%03o' $((n & 255)))
    n=$((n >> 8))
  done
  printf "${len}%s${3}" "$2" >"$corpus/$1"
}
corpus="$build/corpus"
mkdir -p "$corpus"
f32x2='\000\000\200\077\000\000\000\300'  # 1.0f, -2.0f
seed valid_f32 '{"w":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"__metadata__":{"k":"v"}}' "$f32x2"
seed valid_mixed '{"h":{"dtype":"F16","shape":[2],"data_offsets":[0,4]},"b":{"dtype":"BF16","shape":[1,2],"data_offsets":[4,8]},"d":{"dtype":"F64","shape":[],"data_offsets":[8,16]},"i":{"dtype":"I64","shape":[1],"data_offsets":[16,24]},"j":{"dtype":"I32","shape":[0,3],"data_offsets":[24,24]}}' \
  '\000\074\000\300\200\077\000\300\000\000\000\000\000\000\360\077\007\000\000\000\000\000\000\000'
seed overlap '{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}' "$f32x2"
seed hole '{"a":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}' "$f32x2"
seed bad_dtype '{"a":{"dtype":"F8","shape":[8],"data_offsets":[0,8]}}' "$f32x2"
seed bad_meta '{"__metadata__":{"k":1},"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}' "$f32x2"
seed bad_json '{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}' "$f32x2"
printf '\001\000\000' >"$corpus/short"

# libFuzzer's per-input log goes to a file; on failure its tail is shown.
log="$build/fuzz.log"
if ! "$build/fuzz/safetensors_fuzz" "$corpus" -dict=fuzz/safetensors.dict -max_total_time="$seconds" \
  -max_len=4096 -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 -artifact_prefix="$build/" \
  >"$log" 2>&1; then
  tail -n 60 "$log"
  echo "fuzz.sh: the fuzzer found a failure (reproducer in $build/)" >&2
  exit 1
fi
grep -E '^stat::(number_of_executed_units|average_exec_per_sec)' "$log"
