#!/usr/bin/env python3
"""The digit classifier recipe's AN4 roles never share a speaker, and no AN4
test speaker's audio reaches training or the dev set (DESIGN.md, evaluation
protocol): runs recipes/fsdd-digits/run.sh --lists-only (which prepares AN4
and cuts its digit words by forced alignment) and checks its lists against
AN4's own transcription files. A cut's speaker is read from the recording it
was cut from (the wav's directory, via the alignment's words.ctm), not from
its name alone. Exits 77 (skipped) without FSDD or AN4.
  fsdd_digits_roles_test.py ROOT AURIS FSDD_RECORDINGS AN4_DIR"""
import os
import subprocess
import sys
import tempfile

root, auris, fsdd, an4 = sys.argv[1:5]
for need in [os.path.join(an4, "etc", "an4_test.transcription"), fsdd]:
    if not os.path.exists(need):
        print(f"SKIPPED: {need} not found")
        sys.exit(77)


def check(cond, what):
    if not cond:
        print("FAILED:", what)
        sys.exit(1)


def official_speakers(name):
    with open(os.path.join(an4, "etc", name)) as f:
        return {line.split()[-1].strip("()").split("-")[1] for line in f if line.strip()}


test_speakers = official_speakers("an4_test.transcription")
train_speakers = official_speakers("an4_train.transcription")
check(len(test_speakers) == 10 and not test_speakers & train_speakers, "AN4's test speakers are 10 others")

with tempfile.TemporaryDirectory() as out:
    env = dict(os.environ, AURIS=auris)
    subprocess.run([os.path.join(root, "recipes/fsdd-digits/run.sh"), "--lists-only", "--no-synth", "--fsdd", fsdd,
                    "--an4", an4, "--out", out], check=True, env=env, stdout=subprocess.DEVNULL)

    # Each cut's source recording: words.ctm and wav.scp of the set it was cut from.
    source = {}
    for role in ["train", "dev", "test"]:
        wavs = dict(l.split()[:2] for l in open(os.path.join(out, "an4", f"{role}-digits", "wav.scp")))
        cuts = os.path.join(out, "an4-cuts", role)
        for line in open(os.path.join(cuts, "cuts.list")):
            cut = os.path.basename(line.split()[0])
            utt = next(u for u in wavs if cut.startswith(u + "-"))
            source[os.path.realpath(line.split()[0])] = (role, os.path.basename(os.path.dirname(wavs[utt])))

    def an4_speakers(list_file):
        spk = set()
        for line in open(list_file):
            path = os.path.realpath(line.split()[0])
            if "/an4-cuts/" in path:
                check(path in source, f"{path} is a cut of cut_an4.sh")
                spk.add(source[path])
        return spk

    train = an4_speakers(os.path.join(out, "official", "train+an4.list"))
    dev = an4_speakers(os.path.join(out, "an4-cuts", "dev", "cuts.list"))
    test = an4_speakers(os.path.join(out, "an4-cuts", "test", "cuts.list"))
    check(len(train) > 50 and len(dev) >= 5 and len(test) >= 8, f"cuts of many speakers ({len(train)}, {len(dev)}, {len(test)})")
    check({r for r, _ in train} == {"train"}, "training uses only cuts of the training speakers' strings")
    check({r for r, _ in dev} == {"dev"}, "dev holds only cuts of the dev speakers")
    train_spk, dev_spk, test_spk = ({s for _, s in x} for x in (train, dev, test))
    check(not train_spk & test_speakers and not dev_spk & test_speakers, "no AN4 test speaker in training or dev")
    check(not train_spk & dev_spk, f"train and dev share no speaker ({sorted(train_spk & dev_spk)})")
    check(test_spk <= test_speakers, "the test cuts are AN4's test speakers")
print(f"OK: {len(train_spk)} training, {len(dev_spk)} dev and {len(test_spk)} test speakers, disjoint")
