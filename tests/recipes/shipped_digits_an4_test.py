#!/usr/bin/env python3
"""Regression floors of the shipped digit classifier (data/models/digits.safetensors)
on speakers it never heard: the digit words of AN4's 10 test speakers, cut by
recipes/fsdd-digits/cut_an4.sh at the fixed segments of
recipes/fsdd-digits/an4-segments/ (the classifier's own cuts), as they are and padded with 2 s of low noise
(robust_inputs.sh). Floors sit just below the figures measured when the model
was shipped (recipes/fsdd-digits/README.md). Exits 77 (skipped) without AN4 or sox.
  shipped_digits_an4_test.py ROOT AURIS AN4_DIR"""
import json
import os
import shutil
import subprocess
import sys
import tempfile

root, auris, an4 = sys.argv[1:4]
if not os.path.isfile(os.path.join(an4, "etc", "an4_test.transcription")):
    print(f"SKIPPED: AN4 not found at {an4}")
    sys.exit(77)
if shutil.which("sox") is None:
    print("SKIPPED: sox not found (scripts/install-deps.sh --dev)")
    sys.exit(77)

# Words right of 127 when shipped: 127 (100 %) as cut, 59 (46.5 %) padded
# with noise; the floors allow 2 words less.
FLOORS = {"cuts": 125, "pad-noise": 57}

with tempfile.TemporaryDirectory() as out:
    env = dict(os.environ, AURIS=auris)
    run = lambda *cmd: subprocess.run(list(cmd), check=True, env=env, stdout=subprocess.DEVNULL)
    run(os.path.join(root, "recipes/an4/prepare.sh"), "--an4", an4, os.path.join(out, "an4"))
    run(os.path.join(root, "recipes/fsdd-digits/cut_an4.sh"), "--segments",
        os.path.join(root, "recipes/fsdd-digits/an4-segments/test-digits.segments"), os.path.join(out, "an4", "test-digits"),
        os.path.join(out, "cuts"))
    run(os.path.join(root, "recipes/fsdd-digits/robust_inputs.sh"), os.path.join(out, "cuts", "cuts.list"),
        os.path.join(out, "robust"))
    lists = {"cuts": os.path.join(out, "cuts", "cuts.list"), "pad-noise": os.path.join(out, "robust", "pad-noise.list")}
    failed = False
    for name, floor in FLOORS.items():
        r = subprocess.run([auris, "eval", "--model", os.path.join(root, "data/models/digits.safetensors"), "--data",
                            "list:" + lists[name], "--json"], check=True, capture_output=True, text=True)
        j = json.loads(r.stdout)
        right = round(j["accuracy"] * j["n"])
        print(f"{name}: {right} of {j['n']} ({j['accuracy'] * 100:.2f} %), floor {floor}")
        if j["n"] < 120:
            print(f"FAILED: {name}: only {j['n']} cuts (the alignment dropped too many)")
            failed = True
        if right < floor:
            print(f"FAILED: {name}: {right} < {floor}")
            failed = True
sys.exit(1 if failed else 0)
