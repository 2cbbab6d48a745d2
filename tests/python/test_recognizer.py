"""Recognizer, streams and keyword spotting against `auris classify`,
`auris transcribe` and `auris live` on the bundled samples and models, and
against the samples' known words (data/samples/digits.list,
digit_string.ctm)."""
import wave

import numpy as np
import pytest

import auris
from conftest import BAD_ARRAYS, SOURCE_DIR, check_chunk_refused, cli_json, feed

SAMPLES = SOURCE_DIR / "data" / "samples"
MODELS = SOURCE_DIR / "data" / "models"
DIGITS = [line.split() for line in (SAMPLES / "digits.list").read_text().splitlines() if line.strip()]
SPEECH = ["three_one_four.wav", "zero_nine.wav", "digit_string.wav"]
CTM_WORDS = [line.split()[4] for line in (SAMPLES / "digit_string.ctm").read_text().splitlines()]


@pytest.fixture(scope="module")
def digits():
    return auris.Recognizer(MODELS / "digits.safetensors")


@pytest.fixture(scope="module")
def digits_ctc():
    return auris.Recognizer(MODELS / "digits-ctc.safetensors")


def test_classify_equals_cli_and_labels(auris_exe, digits):
    files = [SAMPLES / f for f, _ in DIGITS]
    cli = cli_json(auris_exe, "classify", "--json", "--top-k", "3", "-m", MODELS / "digits.safetensors", *files)
    for (name, label), expected in zip(DIGITS, cli):
        top = digits.classify(*auris.read_audio(SAMPLES / name), top_k=3)
        assert [t[0] for t in top] == [t["label"] for t in expected["top"]], name
        np.testing.assert_array_equal(np.float32([t[1] for t in top]), np.float32([t["score"] for t in expected["top"]]))
        assert top[0][0] == label


def test_transcribe_equals_cli_and_known_words(auris_exe, digits_ctc):
    cli = cli_json(auris_exe, "transcribe", "--json", "-m", MODELS / "digits-ctc.safetensors",
                   *[SAMPLES / f for f in SPEECH])
    for name, expected in zip(SPEECH, cli):
        result = digits_ctc.transcribe(*auris.read_audio(SAMPLES / name))
        assert result.text == expected["text"], name
        assert [w.word for w in result.words] == [w["word"] for w in expected["words"]]
        for ours, theirs in zip(result.words, expected["words"]):
            assert (ours.start, ours.end, ours.conf) == pytest.approx((theirs["start"], theirs["end"], theirs["conf"]),
                                                                      abs=1e-9)
    assert digits_ctc.transcribe(*auris.read_audio(SAMPLES / "three_one_four.wav")).text == "three one four"
    assert digits_ctc.transcribe(*auris.read_audio(SAMPLES / "zero_nine.wav")).text == "zero nine"
    assert [w.word for w in digits_ctc.transcribe(*auris.read_audio(SAMPLES / "digit_string.wav")).words] == CTM_WORDS


def test_beam_and_other_rates_equal_cli(auris_exe, digits_ctc, tmp_path):
    # An 8 kHz file: the CLI resamples it with soxr, and so does transcribe.
    samples, rate = auris.read_audio(SAMPLES / "three_one_four.wav")
    low = np.round(samples[::2] * 32767).astype(np.int16)
    path = tmp_path / "low.wav"
    with wave.open(str(path), "wb") as w:
        w.setnchannels(1), w.setsampwidth(2), w.setframerate(rate // 2)
        w.writeframes(low.tobytes())
    (cli,) = cli_json(auris_exe, "transcribe", "--json", "--beam", "8", "-m", MODELS / "digits-ctc.safetensors", path)
    ours = digits_ctc.transcribe(low, rate // 2, beam=8)
    assert ours.text == cli["text"] == "three one four"
    assert [w.conf for w in ours.words] == pytest.approx([w["conf"] for w in cli["words"]], abs=1e-9)
    assert digits_ctc.decoding(beam=8).beam == 8 and digits_ctc.decoding().beam == 0


@pytest.mark.parametrize("seed", range(3))
def test_stream_final_equals_batch(digits_ctc, seed):
    samples, rate = auris.read_audio(SAMPLES / "digit_string.wav")
    sizes = np.random.default_rng(seed).integers(0, 3000, size=len(samples) // 1500)  # 0: an empty chunk
    events = feed(digits_ctc.create_stream(), samples, rate, sizes)
    finals = [e for e in events if e["type"] == "final"]
    assert " ".join(e["text"] for e in finals) == digits_ctc.transcribe(samples, rate).text == " ".join(CTM_WORDS)
    assert any(e["type"] == "partial" for e in events)


def test_stream_events_equal_cli_live(auris_exe, digits_ctc):
    path = SAMPLES / "digit_string.wav"
    cli = [e for e in cli_json(auris_exe, "live", "--json", "--fast", "--chunk-ms", "100", "-m",
                               MODELS / "digits-ctc.safetensors", "--input", path) if e["type"] != "status"]
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


KWS_TAKES = ["3_jackson_0", "7_theo_1", "5_nicolas_2", "9_george_3", "2_yweweler_4", "0_lucas_0"]


@pytest.fixture(scope="module")
def kws_stream(fsdd_dir, tmp_path_factory):
    """FSDD test takes (never in the spotter's training) among noise gaps,
    as tests/kws_test_stream.h builds them: 1 s of noise, then each digit
    followed by 1.5 s. An 8 kHz file."""
    rng = np.random.default_rng(5)
    parts = [rng.normal(0, 100, 8000)]
    for take in KWS_TAKES:
        with wave.open(str(fsdd_dir / f"{take}.wav")) as w:
            assert w.getframerate() == 8000
            parts += [np.frombuffer(w.readframes(w.getnframes()), np.int16), rng.normal(0, 100, 12000)]
    path = tmp_path_factory.mktemp("kws") / "stream.wav"
    with wave.open(str(path), "wb") as w:
        w.setnchannels(1), w.setsampwidth(2), w.setframerate(8000)
        w.writeframes(np.clip(np.round(np.concatenate(parts)), -32768, 32767).astype(np.int16).tobytes())
    return path


@pytest.mark.parametrize("options,flags", [({}, []), ({"threshold": 0.6, "label_thresholds": {"seven": 0.95}},
                                                      ["--threshold", "0.6", "--threshold-for", "seven=0.95"])],
                         ids=["defaults", "thresholds"])
def test_keyword_spotter_equals_cli_live(auris_exe, kws_stream, options, flags):
    model = MODELS / "kws-digits.safetensors"
    cli = [e for e in cli_json(auris_exe, "live", "--json", "--fast", "--chunk-ms", "100", *flags, "-m", model,
                               "--input", kws_stream) if e["type"] != "status"]
    spotter = auris.KeywordSpotter(model, **options)
    samples, rate = auris.read_audio(kws_stream)
    ours = feed(spotter, samples, rate, [rate // 10] * (len(samples) // (rate // 10)))
    assert ours == cli
    assert all(e["type"] == "keyword" for e in ours)
    names = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"]
    spoken = [names[int(take[0])] for take in KWS_TAKES]
    if not options:  # the spoken digits, in order
        assert [e["label"] for e in ours] == spoken
    else:  # a lower threshold finds them too; each event reached its label's threshold
        assert [e["label"] for e in ours if e["label"] in spoken] == spoken
        for e in ours:
            assert e["score"] >= (0.95 if e["label"] == "seven" else 0.6), e


def test_ctc_keyword_spotter_equals_cli_live(auris_exe, kws_stream):
    """A CTC model with keywords= gives auris live --keywords's events, and
    its keyword events are the spoken digits that are keywords, in order."""
    model = MODELS / "digits-ctc.safetensors"
    keywords = ["one", "two", "three=3", "oh=zero", "zero"]
    cli = [e for e in cli_json(auris_exe, "live", "--json", "--fast", "--chunk-ms", "100", "--keywords",
                               ",".join(keywords), "--threshold", "0.3", "-m", model, "--input", kws_stream)
           if e["type"] != "status"]
    spotter = auris.KeywordSpotter(model, threshold=0.3, keywords=keywords)
    samples, rate = auris.read_audio(kws_stream)
    ours = feed(spotter, samples, rate, [rate // 10] * (len(samples) // (rate // 10)))
    assert ours == cli
    names = ["zero", "one", "two", "3", "four", "five", "six", "seven", "eight", "nine"]
    spoken = [names[int(take[0])] for take in KWS_TAKES if int(take[0]) <= 3]
    assert [e["label"] for e in ours if e["type"] == "keyword"] == spoken
    assert any(e["type"] == "final" for e in ours)  # the transcripts come too
    with pytest.raises(auris.Error, match="is not one of the model's words"):
        auris.KeywordSpotter(model, keywords=["ten"])
    with pytest.raises(auris.Error, match="needs a CTC model"):
        auris.KeywordSpotter(MODELS / "kws-digits.safetensors", keywords=["one"])
    with pytest.raises(auris.Error, match="smooth_ms"):
        auris.KeywordSpotter(model, keywords=["one"], smooth_ms=100)


@pytest.mark.parametrize("array,message", BAD_ARRAYS)
def test_bad_arrays_raise(digits, digits_ctc, array, message):
    with pytest.raises(auris.Error, match=message):
        digits.classify(array, 16000)
    with pytest.raises(auris.Error, match=message):
        digits_ctc.transcribe(array, 16000)
    for stream in digits_ctc.create_stream(), auris.KeywordSpotter(MODELS / "kws-digits.safetensors"):
        check_chunk_refused(stream.accept_waveform, array, message)
        assert stream.seconds_seen == 0


def test_errors(digits, digits_ctc, tmp_path):
    with pytest.raises(auris.FileError, match="missing.safetensors"):
        auris.Recognizer(tmp_path / "missing.safetensors")
    garbage = tmp_path / "garbage.safetensors"
    garbage.write_bytes(b"\x08\x00\x00\x00\x00\x00\x00\x00{nonsense")
    with pytest.raises(auris.FileError, match="garbage.safetensors"):
        auris.Recognizer(garbage)
    samples, _ = auris.read_audio(SAMPLES / "two.wav")
    stream = digits_ctc.create_stream()
    stream.accept_waveform(16000, samples)
    with pytest.raises(auris.Error, match="16000 Hz audio"):
        stream.accept_waveform(8000, samples)
    for rate in (0, -16000, float("nan")):
        with pytest.raises(auris.Error, match="sample_rate"):
            digits_ctc.transcribe(samples, rate)
        with pytest.raises(auris.Error, match="sample_rate"):
            digits_ctc.create_stream().accept_waveform(rate, samples)
    with pytest.raises(auris.Error, match="audio too short"):
        digits_ctc.transcribe(samples[:100], 16000)
    with pytest.raises(auris.Error, match="classifier"):
        digits.transcribe(samples, 16000)
    with pytest.raises(auris.Error, match="--beam"):
        digits_ctc.transcribe(samples, 16000, beam=-1)
    with pytest.raises(auris.Error, match="CTC model spots keywords"):
        auris.KeywordSpotter(MODELS / "digits-ctc.safetensors")
    with pytest.raises(auris.Error, match="eleven"):
        auris.KeywordSpotter(MODELS / "kws-digits.safetensors", label_thresholds={"eleven": 0.5})
    with pytest.raises(auris.FileError, match="nothing.arpa"):
        digits_ctc.transcribe(samples, 16000, lm=tmp_path / "nothing.arpa")
