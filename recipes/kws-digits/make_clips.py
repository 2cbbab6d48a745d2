#!/usr/bin/python3
"""Makes ~1 s keyword-spotting clips (8 kHz WAV) and a list "<wav> <label>".

  make_clips.py --digits LIST:N [--digits LIST:N ...] --speech SPEECH_LIST
                --background N --out DIR [--seed S]

Keyword clips (label = the digit word): every recording of each digit LIST
("<wav> <word>" lines) is used N times, each time placed at a random position
inside 0.8-1.2 s of context: near-silence, noise (white/pink/brown, 0-30 dB
SNR), or pieces of non-keyword speech (SPEECH_LIST, make_speech.py) before
and/or after it, never overlapping it.
Background clips (label "_background_"): crops of non-keyword speech, noise,
near-silence, and partial digits (under half of a digit's active part, its head
at the clip's end or its tail at the clip's start: a window that has not yet
seen, or has missed, most of the word must not fire).
Words are their recording's active part +-20 ms with 20 ms fades (no box of
the recording's own noise floor to recognise them by); near-silence is noise
at -65..-45 dBFS, and not below the word recording's own floor. Levels: words and speech at -35..-12 dBFS RMS.
Deterministic for a given seed.
"""
import argparse
import os
import sys

import numpy as np

import kwsaudio as ka

BACKGROUND = "_background_"


def load_list(path):
    items = []
    with open(path) as f:
        for line in f:
            parts = line.split()
            if parts:
                items.append((parts[0], parts[1] if len(parts) > 1 else BACKGROUND))
    if not items:
        raise SystemExit(f"make_clips.py: {path}: empty")
    return items


class Maker:
    def __init__(self, rng, speech):
        self.rng = rng
        self.speech = speech  # list of float arrays
        self.cache = {}

    def word(self, path):
        """A digit recording's active part at a random level."""
        if path not in self.cache:
            x = ka.read_wav(path)
            self.cache[path] = (ka.word_part(x)[0], ka.floor_db(x))
        x, floor = self.cache[path]
        gain_db = self.rng.uniform(-35, -12) - 20 * np.log10(ka.rms(x))
        return x * ka.db_to_amp(gain_db), floor + gain_db

    def speech_piece(self, n):
        """n samples cut from a random non-keyword sentence at a random level."""
        s = self.speech[self.rng.integers(len(self.speech))]
        if len(s) < n:
            s = np.concatenate([s, np.zeros(n - len(s), np.float32)])
        o = self.rng.integers(0, len(s) - n + 1)
        piece = s[o:o + n]
        if ka.rms(piece) < 1e-4:
            return piece
        return ka.scale_to(piece, self.rng.uniform(-35, -12))

    def bed(self, n, ref_db, floor=-100.0):
        """Background bed of n samples: near-silence (at least at the word
        recording's own floor, +-3 dB) or noise relative to ref_db."""
        if self.rng.random() < 0.5:
            return ka.random_noise(self.rng, n, max(self.rng.uniform(-65, -45),
                                                    floor + self.rng.uniform(-3, 3)))
        return ka.random_noise(self.rng, n, ref_db - self.rng.uniform(0, 30))

    def context(self, n, lo, hi, floor=-100.0):
        """A clip of n samples with free space [lo, hi) for a word: bed, maybe speech outside it."""
        y = self.bed(n, self.rng.uniform(-35, -12), floor)
        if self.rng.random() < 0.45:
            gap = int(self.rng.uniform(0.05, 0.3) * ka.RATE)
            if lo - gap > 800 and self.rng.random() < 0.7:
                y[:lo - gap] += self.speech_piece(lo - gap)
            if n - hi - gap > 800 and self.rng.random() < 0.7:
                y[hi + gap:] += self.speech_piece(n - hi - gap)
        return y

    def keyword(self, path):
        w, floor = self.word(path)
        n = max(int(self.rng.uniform(0.8, 1.2) * ka.RATE), len(w) + 400)
        start = int(self.rng.integers(0, n - len(w) + 1))
        y = self.context(n, start, start + len(w), floor)
        y[start:start + len(w)] += w
        return y

    def partial(self, path):
        w, floor = self.word(path)
        keep = max(80, int(len(w) * self.rng.uniform(0.05, 0.45)))
        n = int(self.rng.uniform(0.8, 1.2) * ka.RATE)
        if self.rng.random() < 0.5:  # the word's head at the end of the clip
            y = self.context(n, n - keep, n, floor)
            y[n - keep:] += w[:keep]
        else:  # the word's tail at the start
            y = self.context(n, 0, keep, floor)
            y[:keep] += w[len(w) - keep:]
        return y

    def background(self, digit_paths):
        n = int(self.rng.uniform(0.8, 1.2) * ka.RATE)
        kind = self.rng.random()
        if kind < 0.40:
            y = self.speech_piece(n)
            return y + self.bed(n, 20 * np.log10(ka.rms(y) + 1e-9))
        if kind < 0.55:
            return ka.random_noise(self.rng, n, self.rng.uniform(-50, -15))
        if kind < 0.60:
            return ka.random_noise(self.rng, n, self.rng.uniform(-70, -45))
        return self.partial(digit_paths[self.rng.integers(len(digit_paths))])


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--digits", action="append", required=True, help="LIST:N")
    ap.add_argument("--speech", required=True)
    ap.add_argument("--background", type=int, required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    rng = np.random.default_rng(args.seed)
    speech = [ka.read_wav(p) for p, _ in load_list(args.speech)]
    maker = Maker(rng, speech)
    jobs = []
    digit_paths = []
    for spec in args.digits:
        path, _, times = spec.rpartition(":")
        items = load_list(path)
        digit_paths += [p for p, _ in items]
        jobs += [(p, label) for p, label in items for _ in range(int(times))]
    jobs += [(None, BACKGROUND)] * args.background
    order = rng.permutation(len(jobs))
    os.makedirs(os.path.join(args.out, "wav"), exist_ok=True)
    lines = []
    for k, j in enumerate(order):
        path, label = jobs[j]
        y = maker.keyword(path) if path else maker.background(digit_paths)
        wav = os.path.join(os.path.abspath(args.out), "wav", f"clip_{k:05d}.wav")
        ka.write_wav(wav, y)
        lines.append(f"{wav} {label}\n")
    with open(os.path.join(args.out, "clips.list"), "w") as f:
        f.writelines(lines)
    n_bg = sum(1 for p, _ in jobs if p is None)
    print(f"{len(lines)} clips ({len(lines) - n_bg} keyword, {n_bg} background) -> "
          f"{args.out}/clips.list", file=sys.stderr)


if __name__ == "__main__":
    main()
