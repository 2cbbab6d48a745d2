#!/usr/bin/env python3
"""The AN4 recipe's data roles never share a speaker (DESIGN.md, evaluation
protocol): runs recipes/an4/prepare.sh and checks its output against AN4's own
files. A speaker is read from each wav's directory, not from utt2spk, so a
wrong utt2spk cannot hide a leak. Exits 77 (skipped) without AN4."""
import os
import subprocess
import sys
import tempfile

root, an4 = sys.argv[1], sys.argv[2]
if not os.path.isfile(os.path.join(an4, "etc", "an4_test.transcription")):
    print(f"SKIPPED: AN4 not found at {an4}")
    sys.exit(77)

DIGITS = {"zero", "oh", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"}


def read(path):
    with open(path) as f:
        return [line.split() for line in f if line.strip()]


def check(cond, what):
    if not cond:
        print("FAILED:", what)
        sys.exit(1)


with tempfile.TemporaryDirectory() as out:
    subprocess.run([os.path.join(root, "recipes/an4/prepare.sh"), "--an4", an4, out], check=True)
    sets = {}
    for name in ["train", "dev", "test", "test-digits", "dev-digits", "train-digits"]:
        d = os.path.join(out, name)
        wavs = {u: p for u, p in read(os.path.join(d, "wav.scp"))}
        text = {l[0]: l[1:] for l in read(os.path.join(d, "text"))}
        spk = {u: s for u, s in read(os.path.join(d, "utt2spk"))}
        check(wavs.keys() == text.keys() == spk.keys(), f"{name}: wav.scp, text and utt2spk list the same utterances")
        for u, p in wavs.items():
            check(os.path.isfile(p), f"{name}: {p} exists")
            check(os.path.basename(os.path.dirname(p)) == spk[u], f"{name}: {u} is spoken by its directory's speaker")
        sets[name] = (wavs, text, {os.path.basename(os.path.dirname(p)) for p in wavs.values()})

    spk = {n: s[2] for n, s in sets.items()}
    for a, b in [("train", "dev"), ("train", "test"), ("dev", "test")]:
        check(not spk[a] & spk[b], f"{a} and {b} share no speaker (shared: {sorted(spk[a] & spk[b])})")

    # The roles cover AN4's official split exactly: its 948 training
    # utterances of 74 speakers, its 130 test utterances of 10.
    def official(name):
        ids = set()
        with open(os.path.join(an4, "etc", name)) as f:
            for line in f:
                ids.add(line.split()[-1].strip("()"))
        return ids

    def an4_ids(*names):
        return {os.path.splitext(os.path.basename(p))[0] for n in names for p in sets[n][0].values()}

    check(an4_ids("train", "dev") == official("an4_train.transcription"), "train + dev = AN4's training list")
    check(an4_ids("test") == official("an4_test.transcription"), "test = AN4's test list")
    check(len(spk["train"] | spk["dev"]) == 74 and len(spk["test"]) == 10, "74 training and 10 test speakers")
    check(sum(len(w) for w in sets["test"][1].values()) == 773, "773 test words")
    for name, whole in [("test-digits", "test"), ("dev-digits", "dev"), ("train-digits", "train")]:
        expect = {u for u, w in sets[whole][1].items() if set(w) <= DIGITS}
        check(set(sets[name][1]) == expect, f"{name}: exactly the {whole} utterances made of digit words")
    check(len(sets["test-digits"][1]) == 23 and sum(len(w) for w in sets["test-digits"][1].values()) == 136,
          "test-digits: 23 utterances, 136 words")
    check(all(w == w.lower() and w not in ("<s>", "</s>") for t in sets["train"][1].values() for w in t),
          "words are lower-case, without <s> </s>")
print("an4 split: train/dev/test share no speaker")
