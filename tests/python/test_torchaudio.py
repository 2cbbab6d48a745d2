"""compute_features against torchaudio.compliance.kaldi (float64), with the
tolerances of the C++ tests (tests/tolerances.h). Skipped without torchaudio."""
import re
import sys

import numpy as np
import pytest

import auris
from conftest import SAMPLES, SOURCE_DIR

torch = pytest.importorskip("torch")
pytest.importorskip("torchaudio")
sys.path.insert(0, str(SOURCE_DIR / "tests" / "reference"))
import make_features  # noqa: E402  (the C++ tests' reference generator)


def tolerance(name):
    text = (SOURCE_DIR / "tests" / "tolerances.h").read_text()
    return float(re.search(rf"\b{name}\s*=\s*([0-9.e+-]+);", text).group(1))


ABS = tolerance("kFeatureAbs")
F32_FACTOR = tolerance("kFeatureFloat32ErrorFactor")


def torchaudio_features(opts, samples_int16_scale, dtype):
    """The reference generator's call (tests/reference/make_features.py)."""
    kw = {k: v for k, v in opts.kaldi_typed().items() if k in make_features.TYPE_KEYS[opts.type]}
    return make_features.kaldi_features(opts.type, samples_int16_scale, kw, dtype)


@pytest.mark.parametrize("wav", SAMPLES[:4], ids=lambda p: p.stem)
@pytest.mark.parametrize("kind,options", [
    ("mfcc", {}), ("fbank", {"num_mel_bins": 40}), ("spectrogram", {}),
    ("mfcc", {"snip_edges": False, "num_ceps": 20, "num_mel_bins": 30}),
])
def test_equal_to_torchaudio_within_cpp_tolerances(wav, kind, options):
    samples, rate = auris.read_audio(wav)
    opts = auris.FeatureOptions(kind, **options)
    ours = auris.compute_features(samples, rate, opts)
    scaled = samples.astype(np.float64) * 32768
    ref64 = torchaudio_features(opts, scaled, torch.float64)
    assert ours.shape == ref64.shape
    # As tests/dsp/feature_compare.h: where torchaudio's own float32 result
    # strays from its float64 one (measured over a few input scales, as the
    # reference generator does), a multiple of that error is allowed too.
    f32_error = max(np.abs(torchaudio_features(opts, scaled * k, torch.float32)
                           - torchaudio_features(opts, scaled * k, torch.float64)).max()
                    for k in make_features.F32_ERROR_SCALES)
    allowed = max(ABS, F32_FACTOR * f32_error)
    error = np.abs(ours - ref64)
    assert error.max() <= allowed, f"max error {error.max():.3g} at {np.unravel_index(error.argmax(), error.shape)}"
