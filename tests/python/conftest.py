"""Shared fixtures: the source tree, the `auris` CLI of the same build
(AURIS_EXE, set by CTest), the bundled samples and the AN4 corpus."""
import json
import os
import subprocess
from pathlib import Path

import numpy as np
import pytest

from auris import Error

SOURCE_DIR = Path(os.environ.get("AURIS_SOURCE_DIR", Path(__file__).resolve().parents[2]))
SAMPLES = sorted((SOURCE_DIR / "data" / "samples").glob("*.wav"))


@pytest.fixture(scope="session")
def auris_exe():
    exe = os.environ.get("AURIS_EXE")
    if not exe or not Path(exe).exists():
        pytest.skip("AURIS_EXE (the auris CLI of this build) not set; CTest sets it")
    return exe


@pytest.fixture(scope="session")
def source_dir():
    return SOURCE_DIR


SHARED_DATA = Path(os.environ.get("AURIS_SHARED_DIR", SOURCE_DIR.parent / "shared")) / "data"


@pytest.fixture(scope="session")
def an4_dir():
    """CMU AN4 in ../shared/data/an4 (AURIS_SHARED_DIR, set by CTest, as the
    C++ tests find it)."""
    an4 = SHARED_DATA / "an4"
    if not (an4 / "etc" / "an4_test.transcription").exists():
        pytest.skip(f"AN4 not found at {an4}")
    return an4


@pytest.fixture(scope="session")
def fsdd_dir():
    """FSDD's recordings in ../shared/data/fsdd."""
    fsdd = SHARED_DATA / "fsdd" / "recordings"
    if not (fsdd / "0_george_0.wav").exists():
        pytest.skip(f"FSDD not found at {fsdd}")
    return fsdd


def cli_features(exe, wav, tmp_path, *flags):
    """Features of one file by `auris features ... npy:DIR` (exact float32)."""
    out = tmp_path / "npy"
    subprocess.run([exe, "features", "-q", *flags, str(wav), f"npy:{out}"], check=True,
                   capture_output=True)
    (npy,) = sorted(out.glob("*.npy"))
    return np.load(npy)


def cli_json(exe, *args):
    """The JSON lines `auris <args>` prints."""
    out = subprocess.run([exe, *map(str, args)], check=True, capture_output=True, text=True).stdout
    return [json.loads(line) for line in out.splitlines() if line.strip()]


def feed(stream, samples, rate, sizes):
    """Feeds samples in chunks of `sizes` (the rest in one), then ends the
    input; every event the stream produced, in order."""
    events, pos = [], 0
    for n in sizes:
        stream.accept_waveform(rate, samples[pos:pos + n])
        pos += n
        events += stream.events()
    if pos < len(samples):
        stream.accept_waveform(rate, samples[pos:])
    stream.input_finished()
    return events + list(stream.events())


# Arrays every call taking samples refuses, and a word of its message.
BAD_ARRAYS = [
    (np.zeros(16000, np.int32), "dtype"),
    (np.zeros((2, 16000), np.float32), "1-D"),
    (np.zeros(0, np.float32), "empty"),
    (np.zeros(32000, np.float32)[::2], "contiguous"),
    (np.array([0.0, np.nan] * 8000, np.float32), "non-finite"),
    (np.array([np.inf] * 16000), "non-finite"),
    ([0.0] * 16000, "NumPy array"),
]


def check_chunk_refused(accept, array, message):
    """A stream refuses a bad chunk with `message`; an empty chunk is a
    chunk of nothing (accepted, no effect)."""
    if message == "empty":
        accept(16000, array)
    else:
        with pytest.raises(Error, match=message):
            accept(16000, array)
