"""read_audio, read_ark / write_ark."""
import wave

import numpy as np
import pytest

import auris
from conftest import SAMPLES


def test_read_audio_is_int16_over_32768():
    with wave.open(str(SAMPLES[0])) as w:
        ints = np.frombuffer(w.readframes(w.getnframes()), np.int16)
        rate = w.getframerate()
    samples, got_rate = auris.read_audio(SAMPLES[0])
    assert got_rate == rate and samples.dtype == np.float32 and samples.ndim == 1
    np.testing.assert_array_equal(samples, ints / np.float32(32768))


def test_read_audio_channels(tmp_path):
    stereo = np.stack([np.full(800, 1000, np.int16), np.full(800, -3000, np.int16)], axis=1)
    path = tmp_path / "stereo.wav"
    with wave.open(str(path), "wb") as w:
        w.setnchannels(2), w.setsampwidth(2), w.setframerate(8000)
        w.writeframes(stereo.tobytes())
    left, rate = auris.read_audio(path, channel=0)
    assert rate == 8000 and np.all(left == np.float32(1000 / 32768))
    mixed, _ = auris.read_audio(path)
    np.testing.assert_allclose(mixed, -1000 / 32768, rtol=1e-6)
    with pytest.raises(auris.FileError, match="channel"):
        auris.read_audio(path, channel=2)


def test_missing_file_is_file_error(tmp_path):
    with pytest.raises(auris.FileError, match="nothing.wav") as e:
        auris.read_audio(tmp_path / "nothing.wav")
    assert isinstance(e.value, OSError) and isinstance(e.value, ValueError)
    with pytest.raises(OSError):
        auris.read_ark(tmp_path / "nothing.ark")


@pytest.mark.parametrize("text", [False, True])
def test_ark_round_trip(tmp_path, text):
    rng = np.random.default_rng(1)
    mats = {"utt1": rng.standard_normal((7, 13)).astype(np.float32),
            "utt2": rng.standard_normal((1, 13)).astype(np.float32)}
    auris.write_ark(tmp_path / "f.ark", mats, text=text)
    back = auris.read_ark(tmp_path / "f.ark")
    assert list(back) == ["utt1", "utt2"]
    for key in mats:
        if text:
            np.testing.assert_allclose(back[key], mats[key], rtol=1e-6)
        else:
            np.testing.assert_array_equal(back[key], mats[key])


def test_ark_and_scp(tmp_path):
    mats = {"a": np.ones((3, 2), np.float32), "b": np.zeros((2, 2), np.float32)}
    auris.write_ark(f"ark,scp:{tmp_path}/f.ark,{tmp_path}/f.scp", mats)
    back = auris.read_ark(tmp_path / "f.scp")
    assert set(back) == {"a", "b"} and back["a"].shape == (3, 2)


def test_write_ark_rejects_1d(tmp_path):
    with pytest.raises(auris.Error, match="2-D"):
        auris.write_ark(tmp_path / "f.ark", {"x": np.zeros(3, np.float32)})
