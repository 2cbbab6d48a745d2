"""compute_features / OnlineFeatures against the CLI, and their contracts."""
import pickle

import numpy as np
import pytest

import auris
from conftest import BAD_ARRAYS, SAMPLES, check_chunk_refused, cli_features

CASES = [
    ("mfcc", {}, []),
    ("fbank", {"num_mel_bins": 40, "use_energy": True}, ["--num-mel-bins", "40", "--use-energy"]),
    ("spectrogram", {"snip_edges": False}, ["--snip-edges=false"]),
    ("mfcc", {"num_ceps": 20, "num_mel_bins": 30, "low_freq": 40, "high_freq": -400},
     ["--num-ceps", "20", "--num-mel-bins", "30", "--low-freq", "40", "--high-freq", "-400"]),
]


@pytest.mark.parametrize("wav", SAMPLES, ids=lambda p: p.stem)
@pytest.mark.parametrize("kind,options,flags", CASES, ids=lambda c: str(c))
def test_bit_identical_to_cli(auris_exe, tmp_path, wav, kind, options, flags):
    samples, rate = auris.read_audio(wav)
    ours = auris.compute_features(samples, rate, type=kind, **options)
    theirs = cli_features(auris_exe, wav, tmp_path, "--type", kind, *flags)
    assert ours.dtype == np.float32 and ours.shape == theirs.shape
    np.testing.assert_array_equal(ours, theirs)


def test_int16_and_float64_equal_float32():
    samples, rate = auris.read_audio(SAMPLES[0])
    as_int16 = np.round(samples * 32768).astype(np.int16)
    ref = auris.compute_features(samples, rate)
    np.testing.assert_array_equal(auris.compute_features(as_int16, rate), ref)
    np.testing.assert_array_equal(auris.compute_features(samples.astype(np.float64), rate), ref)


@pytest.mark.parametrize("kind", ["mfcc", "fbank", "spectrogram"])
@pytest.mark.parametrize("seed", range(4))
def test_online_equals_batch(kind, seed):
    rng = np.random.default_rng(seed)
    samples, rate = auris.read_audio(SAMPLES[seed % len(SAMPLES)])
    opts = auris.FeatureOptions(kind)
    online = auris.OnlineFeatures(opts)
    pos, frames = 0, []
    while pos < len(samples):
        n = int(rng.integers(1, 4000)) if rng.random() < 0.9 else len(samples)
        online.accept_waveform(rate, samples[pos:pos + n])
        pos += n
        ready = online.num_frames_ready
        frames.append(online.get_frames(sum(len(f) for f in frames), ready - sum(len(f) for f in frames)))
    online.input_finished()
    done = sum(len(f) for f in frames)
    frames.append(online.get_frames(done, online.num_frames_ready - done))
    np.testing.assert_array_equal(np.concatenate(frames), auris.compute_features(samples, rate, opts))


def test_list_in_parallel_equals_one_by_one():
    audio = [auris.read_audio(p)[0] for p in SAMPLES]
    many = auris.compute_features(audio, 16000, num_threads=2, type="fbank")
    assert len(many) == len(audio)
    for samples, feats in zip(audio, many):
        np.testing.assert_array_equal(feats, auris.compute_features(samples, 16000, type="fbank"))


def test_options_defaults_pickle_and_dict():
    opts = auris.FeatureOptions()
    assert opts.type == "mfcc" and opts.num_ceps == 13 and opts.dither == 0 and opts.snip_edges is True
    custom = auris.FeatureOptions("fbank", num_mel_bins=40, snip_edges=False, sample_frequency=8000)
    assert pickle.loads(pickle.dumps(custom)) == custom
    assert auris.FeatureOptions.from_dict(custom.as_dict()) == custom
    assert list(custom.as_dict())[0] == "type" and custom.as_dict()["num_mel_bins"] == 40
    assert "num_mel_bins=40" in repr(custom)


@pytest.mark.parametrize("kwargs,message", [
    ({"num_ceps": 0}, "num-ceps"),
    ({"no_such_option": 1}, "no-such-option"),
    ({"type": "fbank", "num_ceps": 13}, "does not apply"),
    ({"type": "mel"}, "type"),
])
def test_bad_options_raise(kwargs, message):
    with pytest.raises(auris.Error, match=message):
        auris.FeatureOptions(**kwargs)


def test_type_keyword_switches_type():
    feats = auris.compute_features(np.zeros(16000, np.float32), 16000, auris.FeatureOptions(num_ceps=20),
                                   type="fbank")
    assert feats.shape[1] == 23


@pytest.mark.parametrize("array,message", BAD_ARRAYS)
def test_bad_arrays_raise(array, message):
    with pytest.raises(auris.Error, match=message):
        auris.compute_features(array, 16000)
    online = auris.OnlineFeatures()
    check_chunk_refused(online.accept_waveform, array, message)
    assert online.num_frames_ready == 0


def test_rate_mismatch_and_bad_frame_range_raise():
    with pytest.raises(auris.Error, match="sample"):
        auris.compute_features(np.zeros(8000, np.float32), 8000)
    online = auris.OnlineFeatures()
    online.accept_waveform(16000, np.zeros(16000, np.float32))
    with pytest.raises(auris.Error, match="ready"):
        online.get_frames(0, online.num_frames_ready + 1)
    with pytest.raises(auris.Error, match="ready"):
        online.get_frames(-1, 1)


def test_non_finite_sample_is_named_by_index():
    x = np.zeros(20000, np.float32)
    x[15000] = np.inf  # in the second block the core is fed
    with pytest.raises(auris.Error, match="index 15000"):
        auris.compute_features(x, 16000)
    with pytest.raises(auris.Error, match="non-finite"):  # beyond float32's range
        auris.compute_features(np.full(16000, 1e300), 16000)
