"""Heavy calls release the GIL: another Python thread keeps running while a
long compute_features, transcribe, classify or stream step is in C++."""
import threading
import time

import numpy as np
import pytest

import auris
from conftest import SOURCE_DIR

MODELS = SOURCE_DIR / "data" / "models"
SAMPLES = SOURCE_DIR / "data" / "samples"


def speech(seconds):
    one, rate = auris.read_audio(SAMPLES / "digit_string.wav")
    return np.tile(one, int(seconds * rate / len(one)) + 1), rate


def features_call():
    samples = np.random.default_rng(0).uniform(-0.5, 0.5, 16000 * 600).astype(np.float32)
    return lambda: auris.compute_features(samples, 16000)


def transcribe_call():
    rec = auris.Recognizer(MODELS / "digits-ctc.safetensors")
    samples, rate = speech(60)
    return lambda: rec.transcribe(samples, rate)


def classify_call():
    rec = auris.Recognizer(MODELS / "digits.safetensors")
    samples, rate = speech(20)
    return lambda: rec.classify(samples, rate)


def stream_call():
    rec = auris.Recognizer(MODELS / "digits-ctc.safetensors")
    samples, rate = speech(60)
    return lambda: rec.create_stream().accept_waveform(rate, samples)


@pytest.mark.parametrize("make_call", [features_call, transcribe_call, classify_call, stream_call],
                         ids=["compute_features", "transcribe", "classify", "stream"])
def test_gil_released(make_call):
    call = make_call()
    span = {}
    ticks = []
    done = threading.Event()

    def work():
        span["start"] = time.perf_counter()
        call()
        span["end"] = time.perf_counter()
        done.set()

    worker = threading.Thread(target=work)
    worker.start()
    while not done.is_set():
        ticks.append(time.perf_counter())
    worker.join()
    inside = [t for t in ticks if span["start"] < t < span["end"]]
    duration = span["end"] - span["start"]
    # Holding the GIL, the worker would freeze this loop for the whole call:
    # one gap of about `duration`. Released, the loop ticks all along.
    edges = [span["start"], *inside, span["end"]]
    longest_gap = max(b - a for a, b in zip(edges, edges[1:]))
    assert duration > 0.05, duration  # long enough to tell
    assert longest_gap < 0.5 * duration, (longest_gap, duration, len(inside))
