#!/usr/bin/python3
"""MFCC speed: auris vs torchaudio.compliance.kaldi.mfcc, same audio, same run.

  /usr/bin/python3 bench/torchaudio_mfcc.py --bench build/Release/bench/features_bench \
      [--shared ../shared] [--minutes 10]

Builds >= 10 minutes of 16 kHz speech by concatenating FSDD recordings
(8 kHz, resampled with torchaudio; espeak-ng speech if FSDD is absent), writes
it as raw float32 (int16 scale), runs features_bench on it, then times
torchaudio's Kaldi MFCC (defaults as Kaldi: dither 0 for both, energy_floor 0,
use_energy true) with torch.set_num_threads(1). Both are measured as CPU time
of the computing thread, best of 3, and the ratio is printed.
"""
import argparse
import os
import subprocess
import sys
import tempfile
import time
import wave

import numpy as np
import torch
import torchaudio
import torchaudio.compliance.kaldi as kaldi


def read_wav(path):
    with wave.open(path) as w:
        x = np.frombuffer(w.readframes(w.getnframes()), dtype="<i2").astype(np.float64)
        return x.reshape(-1, w.getnchannels())[:, 0], w.getframerate()


def speech(shared, seconds):
    pieces, total = [], 0.0
    fsdd = os.path.join(shared, "data", "fsdd", "recordings")
    files = sorted(os.listdir(fsdd)) if os.path.isdir(fsdd) else []
    for f in files:
        x, r = read_wav(os.path.join(fsdd, f))
        pieces.append(torchaudio.functional.resample(torch.from_numpy(x), r, 16000).numpy())
        total += len(pieces[-1]) / 16000.0
        if total >= seconds:
            break
    if total < seconds:  # no corpus: espeak-ng, repeated
        with tempfile.TemporaryDirectory() as tmp:
            p = os.path.join(tmp, "s.wav")
            subprocess.run(["espeak-ng", "-w", p, "zero one two three four five six seven eight nine"],
                           check=True, capture_output=True)
            x, r = read_wav(p)
        x = torchaudio.functional.resample(torch.from_numpy(x), r, 16000).numpy()
        pieces = [x] * int(np.ceil(seconds * 16000 / len(x)))
    return np.concatenate(pieces)[: int(seconds * 16000)].astype(np.float32)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bench", required=True, help="path of the features_bench binary")
    ap.add_argument("--shared", default=os.path.join(os.path.dirname(__file__), "..", "..", "shared"))
    ap.add_argument("--minutes", type=float, default=10.0)
    args = ap.parse_args()
    seconds = args.minutes * 60
    x = speech(args.shared, seconds)
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "speech.f32")
        x.astype("<f4").tofile(path)
        out = subprocess.run([args.bench, "--audio", path], check=True, capture_output=True,
                             text=True).stdout
    print(out, end="")
    auris_rt = float(out.split("=")[1].split("x")[0])

    torch.set_num_threads(1)
    wav = torch.from_numpy(x).unsqueeze(0)
    best = 1e30
    for _ in range(3):
        t0 = time.thread_time()
        kaldi.mfcc(wav, dither=0.0, energy_floor=0.0, use_energy=True, sample_frequency=16000)
        best = min(best, time.thread_time() - t0)
    ta_rt = seconds / best
    print(f"torchaudio mfcc: {seconds:.1f} s audio in {best:.3f} s CPU = {ta_rt:.0f} x real time")
    print(f"auris / torchaudio: {auris_rt / ta_rt:.1f}x")


if __name__ == "__main__":
    sys.exit(main())
