#!/usr/bin/python3
"""Synthesises non-keyword English speech (no digit words) for keyword spotting.

  make_speech.py --set train|eval --out DIR [--max-files N]

Two disjoint sets, so the stream evaluation never hears a voice or a text the
model was trained on as background:
  train: texts of GPL-3, GPL-2, LGPL-2.1, GFDL-1.3, MPL-2.0, MPL-1.1
         (/usr/share/common-licenses) and of Debian's fortunes (everyday
         prose, verse, jokes, quotes); the synthetic digits' voices (espeak-ng
         6 accents x m1..m7, f1..f5; flite kal, slt, awb), espeak-ng en-us,
         en-gb, en-gb-scotland, en-029 with 60 named variants, and 16 other
         espeak-ng languages reading the English texts (accented speech).
  eval:  texts of Apache-2.0, Artistic, BSD and everyday.txt (this directory),
         each spoken by 2 voices of espeak-ng en-gb-x-rp, en-gb-x-gbclan,
         en-gb-x-gbcwmd, en-us-nyc with 8 other named variants, or flite rms.
         No training variant is one of these 8 or made from one (RicishayMax,
         anikaRobot).
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
# Named espeak-ng variants for training speech: all but the evaluation ones
# and those derived from them, and novelty voices (fast_test, Half-Life...).
TRAIN_VARIANTS = [
    "Adam", "Andy", "Annie", "Alicia", "David", "Ed", "Gene", "John", "Linda", "Mike", "Steph",
    "Robert", "Andrea", "Antonio", "Boris", "Caleb", "Denis", "Hugo", "Iven", "Jacky", "Lee",
    "Marco", "Michael", "Zac", "Alex", "Auntie", "Diogo", "Edward", "Edward2", "Gene2", "Gustave",
    "Henrique", "Iven2", "Iven3", "Iven4", "Kaukovalta", "Marcelo", "Mario", "Michel", "Miguel",
    "Mr_Serious", "Nguyen", "Pablo", "Pedro", "Rob", "Steph2", "Steph3", "Storm", "Tweaky",
    "anxiousAndy", "grandpa", "grandma", "norbert", "sandro", "shelby", "klatt", "klatt2",
    "klatt3", "whisper", "female_whisper"]
# Other languages' voices reading English: accents no English voice has.
FOREIGN = ["de", "fr-fr", "es", "it", "nl", "pl", "pt", "sv", "da", "nb", "cs", "ro", "hu", "fi",
           "id", "sk"]
# Debian's fortunes (package fortunes): prose, verse and dialogue, not code.
FORTUNES = "/usr/share/games/fortunes"
FORTUNE_FILES = ("art", "cookie", "definitions", "education", "food", "fortunes", "humorists",
                 "kids", "literature", "love", "magic", "medicine", "men-women", "miscellaneous",
                 "news", "people", "pets", "platitudes", "politics", "riddles", "science",
                 "songs-poems", "sports", "wisdom", "work")
SETS = {
    "train": {
        "texts": [f"{LICENSES}/{n}" for n in ("GPL-3", "GPL-2", "LGPL-2.1", "GFDL-1.3",
                                                "MPL-2.0", "MPL-1.1")]
                 + [f"{FORTUNES}/{n}" for n in FORTUNE_FILES],
        "espeak": SYNTH_DIGIT_VOICES + [
            f"{l}+{v}" for l in ("en-us", "en-gb", "en-gb-scotland", "en-029")
            for v in TRAIN_VARIANTS] + [f"{l}+{v}" for l in FOREIGN for v in TRAIN_VARIANTS[::8]],
        "flite": ["kal", "awb", "slt"],
        "seed": 11,
        "repeats": 1,
        "max_files": 5000,
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
        "max_files": 1600,
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
    text = re.sub(r"(?m)^%$", " ", text)  # fortunes' entry separators
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
    ap.add_argument("--max-files", type=int, help="default: 5000 train, 1600 eval")
    args = ap.parse_args()
    cfg = SETS[args.set]
    missing = [p for p in cfg["texts"] if not os.path.exists(p)]
    if missing:
        raise SystemExit(f"make_speech.py: missing {missing[0]} (scripts/install-deps.sh --dev installs it)")
    rng = random.Random(cfg["seed"])
    texts = []
    for path in cfg["texts"]:
        texts += chunks(path, rng)
    rng.shuffle(texts)
    texts = (texts * cfg["repeats"])[:args.max_files or cfg["max_files"]]
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
