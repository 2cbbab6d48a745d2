#!/usr/bin/python3
"""Builds a keyword-spotting stream of real AN4 speech with its digit
words as targets at known times (issue 24: speakers never trained on).

  an4_stream.py --data DIR --ctm WORDS.ctm --out DIR [--passes N] [--seed S] [--rate R]

DIR: a Kaldi dir of recipes/an4/prepare.sh (dev: training speakers held out
of training; test: AN4's test speakers); every utterance of it is played
whole, as recorded (its own room and pauses), resampled to --rate (default
8 kHz, the classifier spotter's; 16000 keeps AN4's own rate for the AN4
recogniser), at
-35..-12 dBFS (RMS of its active part), 0.3-2 s after the previous one with
the recording's own background around it (faded in and out), in a seeded
random order; --passes N plays the set N times, each pass in another order
and at other levels (the speech is the same: a pass adds no new speaker).
Under everything the noise floor and stationary noise of make_stream.py.
Targets: the digit words (zero..nine; "oh" is labelled zero, what a user
saying it means), wherever they are: digit strings and digits among letters
and words ("rubout g m e f three nine"). Every other word (letters, numbers
such as "sixteen", commands) is non-target speech: an event there is a false
alarm. WORDS.ctm: the reference words placed by CTC forced alignment
(`auris transcribe --align --word-times labels`, one line per word of the
text in order, "<uttid> 1 <start> <dur> <word> <conf>"); a target spans from
0.25 s before its labels (not before the previous word's labels) to 0.1 s
after them: the character model's labels fire inside the word or just
after it (score_stream.py adds its tolerance on both sides).
Writes DIR/stream.wav, DIR/truth.txt ("# duration_s D", "# passes N",
"# speech_s S" (one pass's audio), then "<word> <start_s> <end_s> <uttid>")
and DIR/segments.txt ("utterance <start_s> <end_s> <uttid>", every
utterance played). Utterance ids start with the speaker.
"""
import argparse
import os
import sys

import numpy as np

import kwsaudio as ka

DIGITS = {"zero", "oh", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"}
BEFORE_S = 0.25
AFTER_S = 0.1


def read_kaldi(path):
    with open(path) as f:
        return {p[0]: p[1:] for p in (line.split() for line in f) if p}


def targets(words, ctm):
    """(word, start_s, end_s) of an utterance's digit words, from its aligned words."""
    out = []
    prev_end = 0.0
    for w, (cw, s, e) in zip(words, ctm):
        if w != cw:
            raise SystemExit(f"an4_stream.py: the alignment has '{cw}' where the text has '{w}'")
        if w in DIGITS:
            out.append(("zero" if w == "oh" else w, max(prev_end, s - BEFORE_S), e + AFTER_S))
        prev_end = e
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data", required=True)
    ap.add_argument("--ctm", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--passes", type=int, default=1)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--rate", type=int, default=8000)
    args = ap.parse_args()
    # kwsaudio's helpers read the rate at call time. The noise draws depend on
    # it, so another rate lays the same utterances out with other gaps and levels.
    ka.RATE = args.rate
    wavs = {u: p[0] for u, p in read_kaldi(os.path.join(args.data, "wav.scp")).items()}
    text = read_kaldi(os.path.join(args.data, "text"))
    ctm = {}
    with open(args.ctm) as f:
        for line in f:
            p = line.split()
            if p:
                ctm.setdefault(p[0], []).append((p[4], float(p[2]), float(p[2]) + float(p[3])))
    for u, words in text.items():
        if len(ctm.get(u, [])) != len(words):
            raise SystemExit(f"an4_stream.py: {args.ctm}: {len(ctm.get(u, []))} aligned words for {u}, "
                             f"the text has {len(words)}")
    utts = sorted(text)
    audio = {u: ka.read_wav(wavs[u]) for u in utts}
    rng = np.random.default_rng(args.seed)

    pieces, truth, segments = [], [], []
    pos = 0
    for _ in range(args.passes):
        for i in rng.permutation(len(utts)):
            u = utts[i]
            raw = audio[u]
            a, b = ka.active_region(raw)
            gain_db = rng.uniform(-35, -12) - 20 * np.log10(ka.rms(raw[a:b]))
            gap = int(rng.uniform(0.3, 2.0) * ka.RATE)
            tail = int(rng.uniform(0.15, 0.6) * ka.RATE)
            around = ka.faded_noise(rng, gap + len(raw) + tail, ka.floor_db(raw) + gain_db)
            around[gap:gap + len(raw)] += raw * ka.db_to_amp(gain_db)
            t0 = (pos + gap) / ka.RATE
            for w, s, e in targets(text[u], ctm[u]):
                truth.append((w, t0 + s, t0 + min(e, len(raw) / ka.RATE), u))
            segments.append((t0, t0 + len(raw) / ka.RATE, u))
            pieces.append(around)
            pos += len(around)
    y = np.concatenate(pieces)
    ka.add_noise_floor(rng, y)

    os.makedirs(args.out, exist_ok=True)
    ka.write_wav(os.path.join(args.out, "stream.wav"), y)
    speech_s = sum(len(x) for x in audio.values()) / ka.RATE
    with open(os.path.join(args.out, "truth.txt"), "w") as f:
        f.write(f"# duration_s {len(y) / ka.RATE:.3f}\n# passes {args.passes}\n# speech_s {speech_s:.3f}\n")
        for word, s, e, u in truth:
            f.write(f"{word} {s:.3f} {e:.3f} {u}\n")
    with open(os.path.join(args.out, "segments.txt"), "w") as f:
        for s, e, u in segments:
            f.write(f"utterance {s:.3f} {e:.3f} {u}\n")
    print(f"{len(y) / ka.RATE / 60:.1f} min stream ({args.passes} x {len(utts)} utterances, "
          f"{speech_s / 60:.1f} min), {len(truth)} targets -> {args.out}", file=sys.stderr)


if __name__ == "__main__":
    main()
