#!/usr/bin/python3
"""Whole-process MFCC on 60 minutes of 16 kHz speech, 1 thread, beside two peers in the same run.

  /usr/bin/python3 bench/whole_process.py --auris build/release/apps/auris/auris [--shared ../shared]
      [--minutes 60]

The audio is AN4's training speech (real 16 kHz recordings, concatenated and
repeated to the length asked; FSDD upsampled, or espeak-ng, if AN4 is absent),
written as one 16-bit WAV file. Measured:
  auris      `auris features --type mfcc --num-threads 1 hour.wav ark:OUT` as a process:
             reading, converting, computing and writing; wall time and user + system
             CPU time, best of 3 (each run's output checked for the right frame count);
  knf        kaldi-native-fbank (sherpa-onnx's C++ feature library) built -O3 by
             ../shared/peers/kaldi-native-fbank/bench.sh: its MFCC compute alone on the
             samples already in memory, best of 3 (Debian's kissfft);
  torchaudio torchaudio.compliance.kaldi.mfcc on the samples as a tensor, CPU time of
             the computing thread, torch.set_num_threads(1), one run.
All at Kaldi's defaults with dither 0. Prints the ratios peer time / auris time.
"""
import argparse
import os
import re
import resource
import subprocess
import sys
import tempfile
import time
import wave

import numpy as np


def speech(shared, seconds):
    an4 = os.path.join(shared, "data", "an4", "wav", "an4_clstk")
    files = sorted(os.path.join(d, f) for d, _, fs in os.walk(an4) for f in fs if f.endswith(".wav"))
    pieces = []
    for f in files:
        with wave.open(f) as w:
            if w.getframerate() == 16000 and w.getsampwidth() == 2 and w.getnchannels() == 1:
                pieces.append(np.frombuffer(w.readframes(w.getnframes()), dtype="<i2"))
    if not pieces:  # no AN4: espeak-ng at 16 kHz
        with tempfile.TemporaryDirectory() as tmp:
            p = os.path.join(tmp, "s.wav")
            subprocess.run(["espeak-ng", "-w", p, "zero one two three four five six seven eight nine"],
                           check=True, capture_output=True)
            subprocess.run(["sox", p, "-r", "16000", os.path.join(tmp, "r.wav")], check=True)
            with wave.open(os.path.join(tmp, "r.wav")) as w:
                pieces = [np.frombuffer(w.readframes(w.getnframes()), dtype="<i2")]
    x = np.concatenate(pieces)
    n = int(seconds * 16000)
    return np.tile(x, -(-n // len(x)))[:n]


def write_wav(path, x):
    with wave.open(path, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(16000)
        w.writeframes(x.astype("<i2").tobytes())


def kaldi_frames(n):  # snip-edges: 25 ms windows every 10 ms
    return 1 + (n - 400) // 160


def time_auris(auris, wav, out, frames):
    best_wall, best_cpu = 1e30, 1e30
    for _ in range(3):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        t0 = time.perf_counter()
        run = subprocess.run([auris, "features", "-q", "--type", "mfcc", "--num-threads", "1", wav, f"ark:{out}"],
                             capture_output=True, text=True)
        if run.returncode != 0:
            sys.exit(f"auris features failed ({run.returncode}):\n{run.stderr}")
        wall = time.perf_counter() - t0
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
        # Binary ark of one matrix: key, " \0BFM ", int32 rows and cols, then the data.
        with open(out, "rb") as f:
            head = f.read(64)
        rows = int.from_bytes(head[head.index(b"FM ") + 4:head.index(b"FM ") + 8], "little")
        if rows != frames:
            sys.exit(f"auris wrote {rows} frames, expected {frames}")
        best_wall, best_cpu = min(best_wall, wall), min(best_cpu, cpu)
    return best_wall, best_cpu


def time_knf(shared, wav, tmp, frames):
    peer = os.path.join(shared, "peers", "kaldi-native-fbank")
    out = subprocess.run(["bash", os.path.join(peer, "bench.sh"), peer, wav, os.path.join(tmp, "knf")],
                         check=True, capture_output=True, text=True).stdout
    m = re.search(r"^knf-O3 ([0-9.]+) ([0-9]+)$", out, re.M)
    if not m:
        sys.exit(f"unexpected output of {peer}/bench.sh:\n{out}")
    if int(m.group(2)) != frames:
        sys.exit(f"kaldi-native-fbank computed {m.group(2)} frames, expected {frames}")
    return float(m.group(1))


def time_torchaudio(x):
    import torch
    import torchaudio.compliance.kaldi as kaldi
    torch.set_num_threads(1)
    wav = torch.from_numpy(x.astype(np.float32)).unsqueeze(0)
    t0 = time.thread_time()
    kaldi.mfcc(wav, dither=0.0, energy_floor=0.0, use_energy=True, sample_frequency=16000)
    return time.thread_time() - t0


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--auris", default="build/release/apps/auris/auris")
    ap.add_argument("--shared", default=os.path.join(os.path.dirname(__file__), "..", "..", "shared"))
    ap.add_argument("--minutes", type=float, default=60.0)
    ap.add_argument("--no-torchaudio", action="store_true", help="skip torchaudio (~25 s per hour of audio)")
    a = ap.parse_args()
    seconds = a.minutes * 60
    x = speech(a.shared, seconds)
    frames = kaldi_frames(len(x))
    with tempfile.TemporaryDirectory() as tmp:
        wav = os.path.join(tmp, "speech.wav")
        write_wav(wav, x)
        wall, cpu = time_auris(a.auris, wav, os.path.join(tmp, "out.ark"), frames)
        knf = time_knf(a.shared, wav, tmp, frames)
    print(f"{seconds / 60:.0f} min of 16 kHz speech, {frames} frames, MFCC at Kaldi defaults, 1 thread")
    print(f"auris features, whole process: {wall:.3f} s wall, {cpu:.3f} s CPU (best of 3)")
    print(f"kaldi-native-fbank -O3, compute only: {knf:.3f} s (best of 3)")
    print(f"knf compute / auris whole process: {knf / wall:.1f}x wall, {knf / cpu:.1f}x CPU (target >= 20x)")
    if not a.no_torchaudio:
        ta = time_torchaudio(x)
        print(f"torchaudio compliance.kaldi.mfcc, compute only: {ta:.3f} s CPU")
        print(f"torchaudio / auris whole process: {ta / wall:.1f}x wall, {ta / cpu:.1f}x CPU (target >= 20x)")


if __name__ == "__main__":
    main()
