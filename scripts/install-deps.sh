#!/usr/bin/env bash
# Installs everything auris needs from Debian's archive (idempotent).
#   scripts/install-deps.sh         build + run dependencies
#   scripts/install-deps.sh --dev   also what tests and benchmarks need
set -euo pipefail

runtime=(build-essential cmake pkg-config ninja-build
         libsndfile1-dev libfftw3-dev portaudio19-dev libeigen3-dev
         doctest-dev libsoxr-dev libcli11-dev nlohmann-json3-dev libcairo2-dev libboost-dev
         python3-dev python3-numpy pybind11-dev python3-setuptools python3-wheel python3-pip python3-venv python3-build)
dev=(python3 python3-numpy python3-torch python3-torchaudio python3-pytest
     espeak-ng flite sox fortunes valgrind clang libclang-rt-14-dev
     libasound2-plugins alsa-utils libopenblas0-openmp
     slurmctld slurmd slurm-client munge
     pocketsphinx pocketsphinx-en-us python3-websocket chromium
     libkissfft-dev libtorch-dev)

want=("${runtime[@]}")
for arg in "$@"; do
  case "$arg" in
    --dev) want+=("${dev[@]}") ;;
    -h|--help) sed -n '2,4p' "$0"; exit 0 ;;
    *) echo "install-deps.sh: unknown argument '$arg'" >&2; exit 2 ;;
  esac
done

missing=()
for p in "${want[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

sudo=""
[ "$(id -u)" -ne 0 ] && sudo="sudo"
echo "install-deps.sh: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
