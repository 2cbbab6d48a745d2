#!/usr/bin/python3
"""Hard-negative mining for the keyword spotter (one round).

  mine_negatives.py stream --speech SPEECH_LIST --minutes M --out DIR [--seed S]
  mine_negatives.py cut --stream DIR --events EVENTS.jsonl --out DIR [--times N] [--seed S]

stream: a mining stream of TRAINING-side non-keyword speech only (the
  speech-train set of make_speech.py: training voices and texts, never the
  evaluation ones), sentences in random order at -35..-12 dBFS with 0.1-1.0 s
  of near-silence / noise between them. Writes DIR/stream.wav. It holds no
  digit, so every keyword event `auris live` reports on it is a false alarm.
cut: for every keyword event of EVENTS.jsonl (auris live --json) cuts
  `_background_` clips from DIR/stream.wav: a ~1 s clip around the event's
  [start, end] and a 0.4-0.6 s clip ending just after it (the spotter scores
  its staggered streams from 0.5 s of age, so short windows must not fire
  either); --times N cuts N such pairs per event, each differently placed.
  Writes OUT/wav/*.wav and OUT/clips.list ("<wav> _background_"), to be
  appended to the training list.
Deterministic for a given seed.
"""
import argparse
import json
import os

import numpy as np

import kwsaudio as ka

BACKGROUND = "_background_"


def make_stream(args):
    rng = np.random.default_rng(args.seed)
    paths = [line.split()[0] for line in open(args.speech) if line.strip()]
    rng.shuffle(paths)
    target = int(args.minutes * 60 * ka.RATE)
    parts, n = [], 0
    for p in paths:
        if n >= target:
            break
        gap = int(rng.uniform(0.1, 1.0) * ka.RATE)
        x = ka.scale_to(ka.read_wav(p), rng.uniform(-35, -12))
        for piece in (ka.random_noise(rng, gap, rng.uniform(-65, -45)), x):
            parts.append(piece.astype(np.float32))
            n += len(piece)
    os.makedirs(args.out, exist_ok=True)
    ka.write_wav(os.path.join(args.out, "stream.wav"), np.concatenate(parts))
    print(f"mining stream: {n / ka.RATE / 60:.1f} min of training speech -> {args.out}/stream.wav")


def cut_clips(args):
    rng = np.random.default_rng(args.seed)
    x = ka.read_wav(os.path.join(args.stream, "stream.wav"))
    events = [e for e in map(json.loads, open(args.events)) if e.get("type") == "keyword"]
    os.makedirs(os.path.join(args.out, "wav"), exist_ok=True)
    lines = []

    def clip(a_s, b_s):
        a = max(0, int(a_s * ka.RATE))
        b = min(len(x), int(b_s * ka.RATE))
        if b - a < int(0.3 * ka.RATE):
            return
        path = os.path.join(args.out, "wav", f"neg_{len(lines):05d}.wav")
        ka.write_wav(path, x[a:b])
        lines.append(f"{path} {BACKGROUND}\n")

    for e in events:
        mid = 0.5 * (e["start"] + e["end"])
        for _ in range(args.times):
            long_s = rng.uniform(0.9, 1.1)
            jitter = rng.uniform(-0.15, 0.15)
            clip(mid + jitter - long_s / 2, mid + jitter + long_s / 2)
            short_s = rng.uniform(0.4, 0.6)
            end = e["end"] + rng.uniform(0.0, 0.15)
            clip(end - short_s, end)
    with open(os.path.join(args.out, "clips.list"), "w") as f:
        f.writelines(lines)
    labels = {}
    for e in events:
        labels[e["label"]] = labels.get(e["label"], 0) + 1
    print(f"{len(events)} false alarms {dict(sorted(labels.items()))} -> {len(lines)} clips in {args.out}")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="cmd", required=True)
    s = sub.add_parser("stream")
    s.add_argument("--speech", required=True)
    s.add_argument("--minutes", type=float, default=45)
    s.add_argument("--out", required=True)
    s.add_argument("--seed", type=int, default=3)
    c = sub.add_parser("cut")
    c.add_argument("--stream", required=True)
    c.add_argument("--events", required=True)
    c.add_argument("--out", required=True)
    c.add_argument("--times", type=int, default=1)
    c.add_argument("--seed", type=int, default=4)
    args = ap.parse_args()
    make_stream(args) if args.cmd == "stream" else cut_clips(args)


if __name__ == "__main__":
    main()
