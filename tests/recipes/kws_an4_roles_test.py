#!/usr/bin/env python3
"""The keyword spotter's AN4 roles never share a speaker (issue 24, DESIGN.md
evaluation protocol): runs recipes/kws-digits/run.sh --lists-only (AN4
prepared, the training speakers' digit words cut at the fixed times of
recipes/fsdd-digits/an4-segments/, their digit-free utterances listed as
background speech) and make_an4_stream.sh for the dev and the test stream
(targets at the fixed word times of recipes/kws-digits/an4-times/, not
re-aligned with the shipped model), then checks every piece of audio against AN4's
own transcription files: training material comes only from training speakers
minus the dev speakers; the dev stream only from the dev speakers; the test
stream only from AN4's 10 test speakers; and each stream's targets are exactly
the digit words of its utterances. A speaker is read from the recording's
directory (via wav.scp and the alignment), not from a list's labels.
Exits 77 (skipped) without AN4.
  kws_an4_roles_test.py ROOT AURIS AN4_DIR"""
import os
import subprocess
import sys
import tempfile
import wave

root, auris, an4 = sys.argv[1:4]
if not os.path.isfile(os.path.join(an4, "etc", "an4_test.transcription")):
    print(f"SKIPPED: AN4 not found at {an4}")
    sys.exit(77)
DIGITS = {"zero", "oh", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"}


def check(cond, what):
    if not cond:
        print("FAILED:", what)
        sys.exit(1)


def official_speakers(name):
    with open(os.path.join(an4, "etc", name)) as f:
        return {line.split()[-1].strip("()").split("-")[1] for line in f if line.strip()}


def speaker_of(wav):
    return os.path.basename(os.path.dirname(os.path.realpath(wav)))


def kaldi(path):
    with open(path) as f:
        return {p[0]: p[1:] for p in (line.split() for line in f) if p}


test_speakers = official_speakers("an4_test.transcription")
an4_train_speakers = official_speakers("an4_train.transcription")
check(len(test_speakers) == 10 and not test_speakers & an4_train_speakers, "AN4's test speakers are 10 others")
# prepare.sh's dev speakers: every 10th training speaker, sorted, from the 5th
dev_speakers = {s for i, s in enumerate(sorted(an4_train_speakers), 1) if i % 10 == 5}

with tempfile.TemporaryDirectory() as out:
    env = dict(os.environ, AURIS=auris)
    quiet = dict(check=True, env=env, stdout=subprocess.DEVNULL)
    subprocess.run([os.path.join(root, "recipes/kws-digits/run.sh"), "--lists-only", "--an4", an4, "--out", out],
                   **quiet)
    for s in ["dev", "test"]:
        subprocess.run([os.path.join(root, "recipes/kws-digits/make_an4_stream.sh"), os.path.join(out, f"stream-{s}"),
                        "--set", s, "--an4", an4, "--work", out], **quiet)

    # Training material: each cut's source recording (its utterance id in
    # wav.scp of the set it was cut from), each background utterance's path.
    train_wavs = {u: p[0] for u, p in kaldi(os.path.join(out, "an4", "train-digits", "wav.scp")).items()}
    train_spk = set()
    cuts = [line.split()[0] for line in open(os.path.join(out, "an4-cuts", "train", "cuts.list"))]
    for cut in cuts:
        utt = next((u for u in train_wavs if os.path.basename(cut).startswith(u + "-")), None)
        check(utt is not None, f"{cut} is cut from a train-digits utterance")
        train_spk.add(speaker_of(train_wavs[utt]))
    speech = [line.split()[0] for line in open(os.path.join(out, "an4-speech-train.list"))]
    train_text = kaldi(os.path.join(out, "an4", "train", "text"))
    by_path = {p[0]: u for u, p in kaldi(os.path.join(out, "an4", "train", "wav.scp")).items()}
    for wav in speech:
        check(wav in by_path and not set(train_text[by_path[wav]]) & DIGITS, f"{wav}: a training utterance without digits")
        train_spk.add(speaker_of(wav))
    check(len(cuts) > 800 and len(speech) > 300, f"{len(cuts)} digit cuts, {len(speech)} background utterances")
    # Cut at the fixed times (as the classifier's), not by aligning with the shipped CTC model.
    fixed = kaldi(os.path.join(root, "recipes/fsdd-digits/an4-segments/train-digits.segments"))
    check(sorted(os.path.basename(c)[:-len(".wav")] for c in cuts) == sorted(fixed),
          "the training cuts are the fixed segments' words")
    for cut in cuts:
        utt, start, end = fixed[os.path.basename(cut)[:-len(".wav")]]
        with wave.open(cut) as w, wave.open(train_wavs[utt]) as src:
            want = min(float(end), src.getnframes() / src.getframerate()) - float(start)
            check(abs(w.getnframes() / w.getframerate() - want) < 0.002, f"{cut}: {want:.3f} s as its fixed segment")

    streams = {}
    for s in ["dev", "test"]:
        wavs = {u: p[0] for u, p in kaldi(os.path.join(out, "an4", s, "wav.scp")).items()}
        text = kaldi(os.path.join(out, "an4", s, "text"))
        d = os.path.join(out, f"stream-{s}")
        played = [line.split()[3] for line in open(os.path.join(d, "segments.txt"))]
        check(sorted(played) == sorted(text), f"{s} stream: every {s} utterance played once")
        truth = [line.split() for line in open(os.path.join(d, "truth.txt")) if not line.startswith("#")]
        expect = sorted(("zero" if w == "oh" else w, u) for u, ws in text.items() for w in ws if w in DIGITS)
        check(sorted((t[0], t[3]) for t in truth) == expect, f"{s} stream: the targets are its digit words")
        check(all(float(t[1]) < float(t[2]) for t in truth), f"{s} stream: targets have positive length")
        # Each target ends 0.1 s after its word's last label in the fixed times
        # (an4_stream.py's AFTER_S), clipped to its utterance, wherever it is played.
        played_at = {p[3]: (float(p[1]), float(p[2]))
                     for p in (line.split() for line in open(os.path.join(d, "segments.txt")))}
        fixed_ends = {}
        for p in (line.split() for line in open(os.path.join(root, "recipes/kws-digits/an4-times", f"{s}.ctm"))):
            if p[4] in DIGITS:
                t0, t1 = played_at[p[0]]
                fixed_ends.setdefault(p[0], []).append(min(float(p[2]) + float(p[3]) + 0.1, t1 - t0))
        ends = {}
        for t in truth:
            ends.setdefault(t[3], []).append(float(t[2]) - played_at[t[3]][0])
        check(sorted(ends) == sorted(fixed_ends) and
              all(abs(a - b) < 0.002 for u in ends for a, b in zip(sorted(ends[u]), sorted(fixed_ends[u]))),
              f"{s} stream: targets placed by the fixed word times (an4-times/{s}.ctm), not a new alignment")
        streams[s] = {speaker_of(wavs[u]) for u in played}

check(train_spk <= an4_train_speakers - dev_speakers, "training uses only training speakers that are not dev speakers")
check(streams["dev"] == dev_speakers, f"the dev stream is the {len(dev_speakers)} dev speakers")
check(streams["test"] == test_speakers, "the test stream is AN4's 10 test speakers")
check(not train_spk & streams["dev"] and not train_spk & streams["test"] and not streams["dev"] & streams["test"],
      "training, dev stream and test stream share no speaker")
check(len(train_spk) > 60, f"training material of many speakers ({len(train_spk)})")
print(f"OK: {len(train_spk)} training, {len(streams['dev'])} dev-stream and {len(streams['test'])} test-stream "
      "speakers, disjoint")
