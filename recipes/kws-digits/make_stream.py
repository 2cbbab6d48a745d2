#!/usr/bin/python3
"""Builds a long 8 kHz keyword-spotting test stream with targets at known times.

  make_stream.py --targets LIST --speech SPEECH_LIST --out DIR [--minutes M] [--seed S]

Targets: every recording of LIST ("<wav> <word>", FSDD takes 0-4) once, in a
seeded random order, its active part +-20 ms with 20 ms fades, at -35..-12 dBFS
in noise at the recording's own background level (fading in and out over 0.1 s), 0.3-2 s apart from its neighbours (0.15
s when it follows or precedes a sentence). Between them, non-target material
until the stream is M minutes long: whole synthesised sentences (SPEECH_LIST,
make_speech.py --set eval: voices and texts never used in training), noise
bursts (white / pink / brown, -45..-15 dBFS, 1-5 s) and pauses. Under
everything a noise floor (-65..-45 dBFS) and, in a third of the 30 s blocks,
stationary noise at 10-30 dB below the speech level.
Writes DIR/stream.wav and DIR/truth.txt: "# duration_s D" then one line per
target, "<word> <start_s> <end_s> <source wav>" (the word's active part), and
DIR/segments.txt: the non-target parts, "<speech|noise|pause> <start_s> <end_s> <source>".
"""
import argparse
import os
import sys

import numpy as np

import kwsaudio as ka


def read_list(path):
    with open(path) as f:
        return [line.split()[:2] for line in f if line.strip()]


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--targets", required=True)
    ap.add_argument("--speech", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--minutes", type=float, default=120.0)
    ap.add_argument("--seed", type=int, default=7)
    args = ap.parse_args()
    rng = np.random.default_rng(args.seed)
    targets = [(p, w) for p, w in read_list(args.targets)]
    targets = [targets[i] for i in rng.permutation(len(targets))]
    speech = [p[0] for p in read_list(args.speech)]
    total = int(args.minutes * 60 * ka.RATE)

    # Targets spread evenly over the stream, non-target segments between them.
    pieces = []
    truth = []
    segments = []  # non-target segments: kind, start_s, end_s, source
    pos = 0
    k = 0
    prev = None
    while pos < total or k < len(targets):
        if k < len(targets) and pos >= k * total / len(targets):
            path, word = targets[k]
            k += 1
            raw = ka.read_wav(path)
            x, a, b = ka.word_part(raw)
            gain_db = rng.uniform(-35, -12) - 20 * np.log10(ka.rms(x[a:b]))
            x *= ka.db_to_amp(gain_db)
            gap = int((0.15 if prev == "speech" else rng.uniform(0.3, 2.0)) * ka.RATE)
            tail = int(rng.uniform(0.15, 0.6) * ka.RATE)
            # The recording's own background continues around the word, faded in and out.
            around = ka.faded_noise(rng, gap + len(x) + tail, ka.floor_db(raw) + gain_db)
            around[gap:gap + len(x)] += x
            truth.append((word, (pos + gap + a) / ka.RATE, (pos + gap + b) / ka.RATE, path))
            pieces.append(around)
            prev = "target"
        else:
            r = rng.random()
            if r < 0.7:
                src = speech[rng.integers(len(speech))]
                pieces.append(ka.scale_to(ka.read_wav(src), rng.uniform(-35, -12)))
                prev = "speech"
            elif r < 0.85:
                pieces.append(ka.random_noise(rng, int(rng.uniform(1, 5) * ka.RATE),
                                              rng.uniform(-45, -15)))
                prev = "noise"
            else:
                pieces.append(np.zeros(int(rng.uniform(0.3, 3) * ka.RATE), np.float32))
                prev = "pause"
            segments.append((prev, pos / ka.RATE, (pos + len(pieces[-1])) / ka.RATE,
                             src if prev == "speech" else "-"))
        pos += len(pieces[-1])
    y = np.concatenate(pieces)
    if len(y) < total:
        y = np.concatenate([y, np.zeros(total - len(y), np.float32)])

    ka.add_noise_floor(rng, y)

    os.makedirs(args.out, exist_ok=True)
    ka.write_wav(os.path.join(args.out, "stream.wav"), y)
    with open(os.path.join(args.out, "truth.txt"), "w") as f:
        f.write(f"# duration_s {len(y) / ka.RATE:.3f}\n")
        for word, s, e, path in truth:
            f.write(f"{word} {s:.3f} {e:.3f} {path}\n")
    with open(os.path.join(args.out, "segments.txt"), "w") as f:
        for kind, s, e, src in segments:
            f.write(f"{kind} {s:.3f} {e:.3f} {src}\n")
    print(f"{len(y) / ka.RATE / 60:.1f} min stream, {len(truth)} targets -> {args.out}",
          file=sys.stderr)


if __name__ == "__main__":
    main()
