#!/usr/bin/python3
"""Synthesises non-keyword English speech (no digit words) for keyword spotting.

  make_speech.py --set train|eval --out DIR [--max-files N]

Two disjoint sets, so the stream evaluation never hears a voice or a text the
model was trained on as background:
  train: texts of GPL-3, GPL-2, LGPL-2.1, GFDL-1.3, MPL-2.0, MPL-1.1
         (/usr/share/common-licenses); the synthetic digits' voices (espeak-ng
         6 accents x m1..m7, f1..f5; flite kal, slt, awb) and espeak-ng en-us,
         en-gb, en-gb-scotland, en-029 with 24 named variants.
  eval:  texts of Apache-2.0, Artistic, BSD and everyday.txt (this directory),
         each spoken by 2 voices of espeak-ng en-gb-x-rp, en-gb-x-gbclan,
         en-gb-x-gbcwmd, en-us-nyc with 8 other named variants, or flite rms.
Digit words and their homophones (to, too, for, ate, won, ...) and any word
containing a digit word (someone, fourteen, ...) are deleted from the texts, as
are numerals. Output: DIR/wav/*.wav (8 kHz mono 16-bit, edges trimmed) and
DIR/speech.list ("<wav> <text>"). Deterministic (seeded choice of voice, rate,
pitch per chunk).
"""
import argparse
import os
import random
import re
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
LICENSES = "/usr/share/common-licenses"
# The voices of fsdd-digits/synth.sh's synthetic digits (6 accents x 12
# variants, flite kal/slt/awb) are training voices here too: a voice heard
# only saying digits would teach the model that the voice means a digit.
SYNTH_DIGIT_VOICES = [f"{l}+{v}" for l in ("en-us", "en-gb", "en-gb-scotland", "en-gb-x-rp", "en-029",
                                           "en-gb-x-gbclan")
                      for v in ("m1", "m2", "m3", "m4", "m5", "m6", "m7", "f1", "f2", "f3", "f4", "f5")]
SETS = {
    "train": {
        "texts": [f"{LICENSES}/{n}" for n in ("GPL-3", "GPL-2", "LGPL-2.1", "GFDL-1.3",
                                                "MPL-2.0", "MPL-1.1")],
        "espeak": SYNTH_DIGIT_VOICES + [
            f"{l}+{v}" for l in ("en-us", "en-gb", "en-gb-scotland", "en-029")
            for v in ("Adam", "Andy", "Annie", "Alicia", "David", "Ed", "Gene", "John", "Linda",
                      "Mike", "Steph", "Robert", "Andrea", "Antonio", "Boris", "Caleb", "Denis",
                      "Hugo", "Iven", "Jacky", "Lee", "Marco", "Michael", "Zac")],
        "flite": ["kal", "awb", "slt"],
        "seed": 11,
        "repeats": 1,
    },
    "eval": {
        "texts": [f"{LICENSES}/{n}" for n in ("Apache-2.0", "Artistic", "BSD")]
                 + [os.path.join(HERE, "everyday.txt")],
        "espeak": [f"{l}+{v}" for l in ("en-gb-x-rp", "en-gb-x-gbclan", "en-gb-x-gbcwmd", "en-us-nyc")
                   for v in ("Benjamin", "Belinda", "Max", "Paul", "Quincy", "anika", "travis",
                             "victor")],
        "flite": ["rms"],
        "seed": 23,
        "repeats": 2,  # the stream needs more speech than there is eval text
    },
}
DIGITS = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"]
HOMOPHONES = {"to", "too", "for", "fore", "ate", "won", "oh", "o", "nought", "ten",
              "eleven", "twelve", "twenty", "thirty", "forty", "fifty", "eighty",
              "ninety", "hundred", "thousand", "teen", "fifteen"}


def clean_word(w):
    """The word, or None if it is (or sounds like / contains) a digit word."""
    bare = re.sub(r"[^a-z]", "", w.lower())
    if not bare or bare in HOMOPHONES or any(d in bare for d in DIGITS):
        return None
    return w


def chunks(path, rng):
    """Word chunks of 5-16 words from a text file, digit words deleted."""
    text = open(path, encoding="utf-8", errors="replace").read()
    text = re.sub(r"[0-9]", " ", text)
    text = re.sub(r"https?://\S+|\S+@\S+|[<>()\[\]{}\"_*=#/\\|]", " ", text)
    words = [w for w in (clean_word(w) for w in text.split()) if w]
    out = []
    i = 0
    while i < len(words):
        n = rng.randint(5, 16)
        piece = words[i:i + n]
        i += n
        if len(piece) >= 4:
            out.append(" ".join(piece))
    return out


def run(cmd):
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--set", choices=sorted(SETS), required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--max-files", type=int, default=1600)
    args = ap.parse_args()
    cfg = SETS[args.set]
    rng = random.Random(cfg["seed"])
    texts = []
    for path in cfg["texts"]:
        texts += chunks(path, rng)
    rng.shuffle(texts)
    texts = (texts * cfg["repeats"])[:args.max_files]
    voices = [("espeak", v) for v in cfg["espeak"]]
    voices += [("flite", v) for v in cfg["flite"]] * (len(voices) // (6 * len(cfg["flite"])))
    os.makedirs(os.path.join(args.out, "wav"), exist_ok=True)
    raw = os.path.join(args.out, "raw.wav")
    lines = []
    for k, text in enumerate(texts):
        kind, voice = voices[rng.randrange(len(voices))]
        if kind == "espeak":
            cmd = ["espeak-ng", "-v", voice, "-s", str(rng.randint(130, 190)),
                   "-p", str(rng.randint(20, 80)), "-w", raw, text]
        else:
            cmd = ["flite", "-voice", voice, "--setf",
                   f"duration_stretch={rng.uniform(0.85, 1.2):.2f}", "-t", text, "-o", raw]
        run(cmd)
        wav = os.path.join(os.path.abspath(args.out), "wav", f"{args.set}_{k:04d}.wav")
        run(["sox", "-D", raw, "-r", "8000", "-c", "1", "-b", "16", wav,
             "silence", "1", "0.01", "0.5%", "reverse", "silence", "1", "0.01", "0.5%",
             "reverse", "norm", "-3"])
        lines.append(f"{wav} {kind}:{voice} {text}\n")
    os.remove(raw)
    with open(os.path.join(args.out, "speech.list"), "w") as f:
        f.writelines(lines)
    print(f"{len(lines)} {args.set} speech files -> {args.out}/speech.list", file=sys.stderr)


if __name__ == "__main__":
    main()
