"""The AN4 model with the word LM stored in it: transcribe and streams
against `auris transcribe` / `auris live` (LM on, --no-lm, --lm FILE), and
against AN4's reference transcripts. Skipped without ../shared/data/an4."""
import subprocess

import numpy as np
import pytest

import auris
from conftest import SOURCE_DIR, cli_json, feed

MODEL = SOURCE_DIR / "data" / "models" / "an4.safetensors"
SPEAKER = "fcaw"  # one AN4 test speaker (unseen in training): 13 utterances


@pytest.fixture(scope="module")
def an4():
    return auris.Recognizer(MODEL)


@pytest.fixture(scope="module")
def files(an4_dir):
    return sorted((an4_dir / "wav" / "an4test_clstk" / SPEAKER).glob("*.wav"))


@pytest.fixture(scope="module")
def references(an4_dir):
    """utterance id -> the reference transcript, lower case as the model spells."""
    refs = {}
    for line in (an4_dir / "etc" / "an4_test.transcription").read_text().splitlines():
        words, utt = line.rsplit("(", 1)
        refs[utt.strip(" )")] = words.strip().lower()
    return refs


def test_model_decoding(an4):
    default = an4.decoding()
    assert default.has_lm and default.beam > 0 and default.lm_weight > 0
    no_lm = an4.decoding(lm=None)
    assert not no_lm.has_lm and no_lm.beam == default.beam and no_lm.lm_weight == 0
    assert an4.decoding(lm=None, beam=0).beam == 0
    assert an4.decoding(lm_weight=0.25).lm_weight == 0.25
    with pytest.raises(auris.Error, match="--lm-weight"):
        an4.decoding(lm_weight=-1)


@pytest.mark.parametrize("lm,flags", [(True, []), (None, ["--no-lm"]), (None, ["--no-lm", "--beam", "0"])],
                         ids=["model-lm", "no-lm", "greedy"])
def test_transcribe_equals_cli(auris_exe, an4, files, lm, flags):
    cli = cli_json(auris_exe, "transcribe", "--json", *flags, "-m", MODEL, *files)
    beam = 0 if "--beam" in flags else None
    for path, expected in zip(files, cli):
        result = an4.transcribe(*auris.read_audio(path), beam=beam, lm=lm)
        assert result.text == expected["text"], path.name
        assert [w.conf for w in result.words] == pytest.approx([w["conf"] for w in expected["words"]], abs=1e-9)


def test_lm_makes_known_transcripts(an4, files, references):
    # The stored LM turns the characters' "... t ih i l l s" (no such word) into
    # AN4's "p l e a s a n t h i l l s".
    want = "p l e a s a n t h i l l s"
    samples, rate = auris.read_audio(files[0].parent / f"cen5-{SPEAKER}-b.wav")
    assert an4.transcribe(samples, rate).text == references[f"cen5-{SPEAKER}-b"] == want
    assert an4.transcribe(samples, rate, lm=None).text != want
    # (That the LM lowers the WER of the whole test set: tests/cli/shipped_an4_test.cc.)


def test_lm_file_equals_cli(auris_exe, an4, files, tmp_path):
    text = tmp_path / "text"
    text.write_text("one three seven\nw o o d\nc i n d y\n" * 3)
    arpa = tmp_path / "small.arpa"
    subprocess.run([auris_exe, "lm", "--text", text, "--order", "2", "--out", arpa], check=True, capture_output=True)
    cli = cli_json(auris_exe, "transcribe", "--json", "--lm", arpa, "--lm-weight", "1.5", "-m", MODEL, *files)
    for path, expected in zip(files, cli):
        assert an4.transcribe(*auris.read_audio(path), lm=arpa, lm_weight=1.5).text == expected["text"], path.name
    assert an4.decoding(lm=arpa, lm_weight=1.5).has_lm


@pytest.mark.parametrize("seed", range(2))
def test_stream_with_lm_equals_batch(an4, files, seed):
    path = files[0].parent / f"cen3-{SPEAKER}-b.wav"
    samples, rate = auris.read_audio(path)
    sizes = np.random.default_rng(seed).integers(1, 4000, size=len(samples) // 2000)
    events = feed(an4.create_stream(), samples, rate, sizes)
    finals = [e["text"] for e in events if e["type"] == "final"]
    assert " ".join(finals) == an4.transcribe(samples, rate).text == "one three seven"


@pytest.mark.parametrize("lm,flags", [(True, []), (None, ["--no-lm"])], ids=["model-lm", "no-lm"])
def test_stream_events_equal_cli_live(auris_exe, an4, files, lm, flags):
    for path in files[:4]:
        cli = [e for e in cli_json(auris_exe, "live", "--json", "--fast", "--chunk-ms", "100", *flags, "-m", MODEL,
                                   "--input", path) if e["type"] != "status"]
        samples, rate = auris.read_audio(path)
        ours = feed(an4.create_stream(lm=lm), samples, rate, [rate // 10] * (len(samples) // (rate // 10)))
        assert ours == cli, path.name
