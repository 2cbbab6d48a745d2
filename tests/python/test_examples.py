"""The examples of examples/python run and print what they promise."""
import json
import os
import subprocess
import sys

import numpy as np

from conftest import SOURCE_DIR

EXAMPLES = SOURCE_DIR / "examples" / "python"


def run(*args):
    return subprocess.run([sys.executable, *map(str, args)], check=True, capture_output=True, text=True,
                          env=os.environ).stdout


def test_features_of_folder(tmp_path):
    out = tmp_path / "feats.npz"
    printed = run(EXAMPLES / "features_of_folder.py", SOURCE_DIR / "data" / "samples", out, "--type", "fbank")
    feats = np.load(out)
    assert "two.wav" in feats.files and feats["two.wav"].shape[1] == 23
    assert printed.startswith(f"{len(feats.files)} files")


def test_stream_transcribe():
    out = run(EXAMPLES / "stream_transcribe.py", SOURCE_DIR / "data" / "models" / "digits-ctc.safetensors",
              SOURCE_DIR / "data" / "samples" / "three_one_four.wav")
    events = [json.loads(line) for line in out.splitlines()]
    assert any(e["type"] == "partial" for e in events)
    assert [e["text"] for e in events if e["type"] == "final"] == ["three one four"]
