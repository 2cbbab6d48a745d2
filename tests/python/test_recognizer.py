"""Recognizer, streams and keyword spotting against `auris classify`,
`auris transcribe` and `auris live` on the bundled samples and models."""
import json
import subprocess

import numpy as np
import pytest

import auris
from conftest import SOURCE_DIR

SAMPLES = SOURCE_DIR / "data" / "samples"
MODELS = SOURCE_DIR / "data" / "models"
DIGITS = [line.split() for line in (SAMPLES / "digits.list").read_text().splitlines() if line.strip()]
SPEECH = ["three_one_four.wav", "zero_nine.wav", "digit_string.wav"]


def cli_json(exe, *args):
    out = subprocess.run([exe, *args], check=True, capture_output=True, text=True).stdout
    return [json.loads(line) for line in out.splitlines() if line.strip()]


@pytest.fixture(scope="module")
def digits():
    return auris.Recognizer(MODELS / "digits.safetensors")


@pytest.fixture(scope="module")
def digits_ctc():
    return auris.Recognizer(MODELS / "digits-ctc.safetensors")


def test_classify_equals_cli(auris_exe, digits):
    files = [str(SAMPLES / f) for f, _ in DIGITS]
    cli = cli_json(auris_exe, "classify", "--json", "--top-k", "3", "-m", str(MODELS / "digits.safetensors"), *files)
    for (name, label), expected in zip(DIGITS, cli):
        top = digits.classify(*auris.read_audio(SAMPLES / name), top_k=3)
        assert [t[0] for t in top] == [t["label"] for t in expected["top"]], name
        np.testing.assert_array_equal(np.float32([t[1] for t in top]), np.float32([t["score"] for t in expected["top"]]))
        assert top[0][0] == label


def test_transcribe_equals_cli(auris_exe, digits_ctc):
    files = [str(SAMPLES / f) for f in SPEECH]
    cli = cli_json(auris_exe, "transcribe", "--json", "-m", str(MODELS / "digits-ctc.safetensors"), *files)
    for name, expected in zip(SPEECH, cli):
        result = digits_ctc.transcribe(*auris.read_audio(SAMPLES / name))
        assert result.text == expected["text"], name
        assert [w.word for w in result.words] == [w["word"] for w in expected["words"]]
        for ours, theirs in zip(result.words, expected["words"]):
            assert ours.start == pytest.approx(theirs["start"], abs=1e-9)
            assert ours.end == pytest.approx(theirs["end"], abs=1e-9)
            assert ours.conf == pytest.approx(theirs["conf"], abs=1e-9)
    assert digits_ctc.transcribe(*auris.read_audio(SAMPLES / "three_one_four.wav")).text == "three one four"


def feed(stream, samples, rate, sizes):
    events, pos = [], 0
    for n in sizes:
        stream.accept_waveform(rate, samples[pos:pos + n])
        pos += n
        events += stream.events()
    stream.accept_waveform(rate, samples[pos:]) if pos < len(samples) else None
    stream.input_finished()
    return events + list(stream.events())


@pytest.mark.parametrize("seed", range(3))
def test_stream_final_equals_batch(digits_ctc, seed):
    samples, rate = auris.read_audio(SAMPLES / "three_one_four.wav")
    sizes = np.random.default_rng(seed).integers(1, 3000, size=len(samples) // 1500)
    events = feed(digits_ctc.create_stream(), samples, rate, sizes)
    finals = [e for e in events if e["type"] == "final"]
    assert " ".join(e["text"] for e in finals) == digits_ctc.transcribe(samples, rate).text
    assert any(e["type"] == "partial" for e in events)


def test_stream_events_equal_cli_live(auris_exe, digits_ctc):
    path = SAMPLES / "digit_string.wav"
    cli = [e for e in cli_json(auris_exe, "live", "--json", "--fast", "--chunk-ms", "100", "-m",
                               str(MODELS / "digits-ctc.safetensors"), "--input", str(path))
           if e["type"] != "status"]
    samples, rate = auris.read_audio(path)
    ours = feed(digits_ctc.create_stream(), samples, rate, [rate // 10] * (len(samples) // (rate // 10)))
    assert [e for e in ours if e["type"] == "final"] == [e for e in cli if e["type"] == "final"]
    assert ours == cli


def test_reset_starts_over(digits_ctc):
    samples, rate = auris.read_audio(SAMPLES / "zero_nine.wav")
    stream = digits_ctc.create_stream()
    stream.accept_waveform(rate, samples)
    stream.reset()
    assert stream.seconds_seen == 0 and list(stream.events()) == []
    stream.accept_waveform(rate, samples)
    stream.input_finished()
    assert [e["text"] for e in stream.events() if e["type"] == "final"] == ["zero nine"]
    with pytest.raises(auris.Error, match="input_finished"):
        stream.accept_waveform(rate, samples)


def test_keyword_spotter_equals_cli_live(auris_exe, tmp_path):
    model = MODELS / "kws-digits.safetensors"
    path = SAMPLES / "digit_string.wav"
    cli = [e for e in cli_json(auris_exe, "live", "--json", "--fast", "--chunk-ms", "100", "--threshold", "0.6",
                               "-m", str(model), "--input", str(path)) if e["type"] != "status"]
    spotter = auris.KeywordSpotter(model, threshold=0.6)
    samples, rate = auris.read_audio(path)
    ours = feed(spotter, samples, rate, [rate // 10] * (len(samples) // (rate // 10)))
    assert ours == cli
    assert all(e["type"] == "keyword" for e in ours)


def test_errors(digits, digits_ctc, tmp_path):
    with pytest.raises(auris.FileError, match="missing.safetensors"):
        auris.Recognizer(tmp_path / "missing.safetensors")
    samples, _ = auris.read_audio(SAMPLES / "two.wav")
    stream = digits_ctc.create_stream()
    stream.accept_waveform(16000, samples)
    with pytest.raises(auris.Error, match="16000 Hz audio"):
        stream.accept_waveform(8000, samples)
    with pytest.raises(auris.Error, match="classify"):
        digits.transcribe(samples, 16000)
    with pytest.raises(auris.Error, match="1-D"):
        digits_ctc.transcribe(np.zeros((2, 16000), np.float32), 16000)
    with pytest.raises(auris.Error, match="CTC"):
        auris.KeywordSpotter(MODELS / "digits-ctc.safetensors")
