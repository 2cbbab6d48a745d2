"""Heavy calls release the GIL: another Python thread keeps running while a
long compute_features is in C++."""
import threading
import time

import numpy as np

import auris


def test_gil_released_during_compute_features():
    samples = np.random.default_rng(0).uniform(-0.5, 0.5, 16000 * 600).astype(np.float32)
    span = {}
    ticks = []
    done = threading.Event()

    def work():
        span["start"] = time.perf_counter()
        auris.compute_features(samples, 16000)
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
    assert longest_gap < 0.5 * duration, (longest_gap, duration, len(inside))
