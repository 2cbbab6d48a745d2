"""Shared fixtures: the source tree, the `auris` CLI of the same build
(AURIS_EXE, set by CTest) and the bundled samples."""
import os
import subprocess
from pathlib import Path

import numpy as np
import pytest

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


def cli_features(exe, wav, tmp_path, *flags):
    """Features of one file by `auris features ... npy:DIR` (exact float32)."""
    out = tmp_path / "npy"
    subprocess.run([exe, "features", "-q", *flags, str(wav), f"npy:{out}"], check=True,
                   capture_output=True)
    (npy,) = sorted(out.glob("*.npy"))
    return np.load(npy)
