#!/usr/bin/python3
"""auris.compute_features (Python) speed: vs torchaudio.compliance.kaldi and
vs the C++ core alone, on the same 10-s utterance, 1 thread each.

  PYTHONPATH=build/release/python /usr/bin/python3 bench/python_features.py \
      --bench build/release/bench/features_bench [--type mfcc] [--repeat 20]

The utterance is data/samples/*.wav concatenated and repeated to 10 s. The
C++ time is features_bench's batch figure on the same samples (raw float32,
int16 scale); the Python figure is the CPU time of the calling thread around
auris.compute_features (argument checks, scaling, the C++ compute, the
array hand-over), best of --repeat. torchaudio runs with
torch.set_num_threads(1), dither 0 and energy_floor 0 like auris.
"""
import argparse
import re
import subprocess
import tempfile
import time
from pathlib import Path

import numpy as np

import auris

ROOT = Path(__file__).resolve().parents[1]


def utterance(seconds=10.0):
    pieces = [auris.read_audio(p)[0] for p in sorted((ROOT / "data" / "samples").glob("*.wav"))]
    x = np.concatenate(pieces)
    return np.resize(x, int(seconds * 16000)).astype(np.float32)


def best_cpu(fn, repeat):
    best = float("inf")
    for _ in range(repeat):
        t0 = time.thread_time()
        fn()
        best = min(best, time.thread_time() - t0)
    return best


def cpp_seconds(bench, x, kind, runs=7):
    """Best CPU time of features_bench's batch figure over `runs` runs (each
    the best of 3), from its "x real time" (its seconds have 4 decimals)."""
    best = float("inf")
    with tempfile.NamedTemporaryFile(suffix=".f32") as f:
        (x * 32768).astype("<f4").tofile(f.name)
        for _ in range(runs):
            out = subprocess.run([bench, "--audio", f.name, "--type", kind], check=True, capture_output=True,
                                 text=True).stdout
            m = re.search(r"batch: ([0-9.]+) s audio, .* = ([0-9.]+) x real time", out)
            best = min(best, float(m.group(1)) / float(m.group(2)))
    return best


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bench", required=True, help="features_bench of the same build")
    parser.add_argument("--type", default="mfcc", choices=["mfcc", "fbank", "spectrogram", "plp"])
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()

    x = utterance()
    opts = auris.FeatureOptions(args.type)
    ours = best_cpu(lambda: auris.compute_features(x, 16000, opts), args.repeat)
    cpp = cpp_seconds(args.bench, x, args.type)
    print(f"auris.compute_features ({args.type}, 10 s): {ours * 1e3:.2f} ms CPU; C++ core alone {cpp * 1e3:.2f} ms; "
          f"Python overhead {100 * (ours - cpp) / cpp:+.1f} %")

    import torch
    import torchaudio.compliance.kaldi as kaldi
    torch.set_num_threads(1)
    wav = torch.from_numpy(x * 32768).unsqueeze(0)
    fn = getattr(kaldi, args.type)
    kw = {"dither": 0.0, "energy_floor": 0.0}
    theirs = best_cpu(lambda: fn(wav, **kw), max(3, args.repeat // 4))
    print(f"torchaudio.compliance.kaldi.{args.type}: {theirs * 1e3:.2f} ms CPU; auris is {theirs / ours:.1f}x faster")


if __name__ == "__main__":
    main()
