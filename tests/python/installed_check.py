"""Run by scripts/test-install.sh with an installed auris (venv or wheel),
outside the clone: the package imports from site-packages and its features
equal those the installed `auris features` wrote.
    python installed_check.py NPY_DIR WAV"""
import sys
from pathlib import Path

import numpy as np

import auris

assert "site-packages" in auris.__file__, f"auris imported from {auris.__file__}, not an installed copy"
(npy,) = Path(sys.argv[1]).glob("*.npy")
feats = auris.compute_features(*auris.read_audio(sys.argv[2]), type="fbank")
if not np.array_equal(feats, np.load(npy)):
    sys.exit("compute_features differs from auris features")
print(auris.__version__, feats.shape)
